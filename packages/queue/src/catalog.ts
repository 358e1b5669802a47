import Type, { type Static, type TSchema } from 'typebox';
import Compile from 'typebox/compile';

const Uuid = Type.String({ format: 'uuid' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' });

/** Queue names: kebab-case nouns. */
export const QUEUES = [
  'lifecycle',
  'signals',
  'complaints',
  'tasks',
  'notifications',
  'reviews',
  'imports',
] as const;
export type QueueName = (typeof QUEUES)[number];

interface JobSpec<S extends TSchema> {
  readonly queue: QueueName;
  readonly payload: S;
  readonly attempts: number;
  readonly backoffMs: number;
  /**
   * `job-id`: the outbox row's id is the BullMQ job id, so a job is added once however often the relay
   * retries. `dedupe`: the id is a deduplication id: while a job with it waits, re-adds are dropped,
   * and one that arrives while it runs is kept for one more run afterwards (BullMQ `keepLastIfActive`).
   */
  readonly identity: 'job-id' | 'dedupe';
  /** Completed jobs kept for inspection (count); failed ones are kept longer. */
  readonly keepCompleted: number;
  /**
   * A `dedupe` job waits at least this long after it is added, so that what arrives meanwhile for the
   * same id is deduplicated into it and judged in the same run.
   */
  readonly gatherMs?: number;
  /**
   * Run on a schedule (a BullMQ job scheduler upserted at worker start-up under `id`): a six-field
   * cron `pattern` (with seconds) in time zone `tz`, with an empty payload.
   */
  readonly schedule?: { readonly id: string; readonly pattern: string; readonly tz: string };
}

function job<S extends TSchema>(spec: JobSpec<S>): JobSpec<S> {
  return spec;
}

/**
 * Every job the system runs: its queue, payload schema, retries and retention. Payloads carry ids
 * only, never personal data. The worker refuses to start unless each one has a processor.
 */
export const JOBS = {
  /** A product changed stage: react (close stalled-stage tasks, notify). */
  'stage-changed': job({
    queue: 'lifecycle',
    payload: Type.Object(
      { productId: Uuid, version: Type.Integer(), from: Type.String(), to: Type.String() },
      { additionalProperties: false },
    ),
    attempts: 5,
    backoffMs: 1000,
    identity: 'job-id',
    keepCompleted: 1000,
  }),
  /**
   * Judge the sales signals of a product's (product, branch) pairs, each from its watermark to its
   * latest data date, in one pass (deduplicated per product). With `branchId`, that pair only; with
   * `branchId` and `date`, that one day only.
   */
  'evaluate-sales': job({
    queue: 'signals',
    payload: Type.Object(
      { productId: Uuid, branchId: Type.Optional(Uuid), date: Type.Optional(Day) },
      { additionalProperties: false },
    ),
    attempts: 5,
    backoffMs: 500,
    identity: 'dedupe',
    keepCompleted: 100,
    // A backfill touches a product in a few requests in quick succession; judging it after each one
    // judges the same days again (0.8 s: 2.3–2.4 → 2.1–2.2 passes per product in the backfill bench).
    gatherMs: 800,
  }),
  /**
   * Complaints wait for evaluation (severe-complaint and complaint-spike detectors): one run evaluates
   * every pending complaint, in batches, one transaction each, and runs until none is left
   * (deduplicated: however many complaints arrive, one run waits). A queue of its own: a sales backfill
   * on `signals` never stands before a severe complaint. The payload is empty: the complaints, and
   * whatever personal data they hold, stay in Postgres.
   */
  'evaluate-complaints': job({
    queue: 'complaints',
    payload: Type.Object({}, { additionalProperties: false }),
    attempts: 5,
    backoffMs: 500,
    identity: 'dedupe',
    keepCompleted: 100,
  }),
  /** New competitor prices for a product: the undercut detector. */
  'evaluate-competitor-prices': job({
    queue: 'signals',
    payload: Type.Object({ productId: Uuid }, { additionalProperties: false }),
    attempts: 5,
    backoffMs: 500,
    identity: 'dedupe',
    keepCompleted: 100,
  }),
  /** A cost change took effect: does any price now sit under its floor? */
  'evaluate-cost-change': job({
    queue: 'signals',
    payload: Type.Object({ productId: Uuid }, { additionalProperties: false }),
    attempts: 5,
    backoffMs: 500,
    identity: 'dedupe',
    keepCompleted: 100,
  }),
  /** Daily sweep for products too long in a pre-launch stage (job scheduler). */
  'sweep-stalled-stages': job({
    queue: 'signals',
    payload: Type.Object({ asOf: Type.Optional(Day) }, { additionalProperties: false }),
    attempts: 3,
    backoffMs: 5000,
    identity: 'job-id',
    keepCompleted: 50,
    schedule: { id: 'daily-stalled-stage-sweep', pattern: '0 0 6 * * *', tz: 'Asia/Shanghai' },
  }),
  /** Hourly sweep for launch checklist items past their due date (job scheduler). */
  'sweep-overdue-launch-items': job({
    queue: 'signals',
    payload: Type.Object({ asOf: Type.Optional(Day) }, { additionalProperties: false }),
    attempts: 3,
    backoffMs: 5000,
    identity: 'job-id',
    keepCompleted: 50,
    schedule: { id: 'hourly-overdue-launch-item-sweep', pattern: '0 5 * * * *', tz: 'Asia/Shanghai' },
  }),
  /**
   * Monthly sweep: target_miss over the whole of the month just ended, for every pair with a target
   * (job scheduler; on the 3rd, so that the month's last uploads are in).
   */
  'sweep-month-targets': job({
    queue: 'signals',
    payload: Type.Object({ month: Type.Optional(Month) }, { additionalProperties: false }),
    attempts: 3,
    backoffMs: 5000,
    identity: 'job-id',
    keepCompleted: 24,
    schedule: { id: 'monthly-target-sweep', pattern: '0 30 6 3 * *', tz: 'Asia/Shanghai' },
  }),
  /** An SLA check: escalate the task to `level` if it is still unacknowledged. */
  'escalate-task': job({
    queue: 'tasks',
    payload: Type.Object(
      { taskId: Uuid, level: Type.Integer({ minimum: 1 }) },
      { additionalProperties: false },
    ),
    attempts: 5,
    backoffMs: 1000,
    identity: 'job-id',
    keepCompleted: 1000,
  }),
  /** Re-enqueue from Postgres whatever Redis should hold and does not (job scheduler; see the reconciler). */
  reconcile: job({
    queue: 'tasks',
    payload: Type.Object({}, { additionalProperties: false }),
    attempts: 1,
    backoffMs: 1000,
    identity: 'job-id',
    keepCompleted: 10,
  }),
  /** Compute (or refresh) one quarterly review and open its department tasks; requested on demand. */
  'run-quarterly-review': job({
    queue: 'reviews',
    payload: Type.Object({ reviewId: Uuid }, { additionalProperties: false }),
    attempts: 5,
    backoffMs: 2000,
    identity: 'dedupe',
    keepCompleted: 100,
  }),
  /**
   * The quarterly job scheduler's run (09:00 Asia/Shanghai on 1 Jan/Apr/Jul/Oct): reviews the quarter
   * that ended before the job's scheduled time, in Asia/Shanghai.
   */
  'quarterly-review': job({
    queue: 'reviews',
    payload: Type.Object({}, { additionalProperties: false }),
    attempts: 5,
    backoffMs: 5000,
    identity: 'job-id',
    keepCompleted: 50,
    schedule: { id: 'quarterly-product-tower-review', pattern: '0 0 9 1 1,4,7,10 *', tz: 'Asia/Shanghai' },
  }),
  /** Deliver one notification to one person's channel. */
  notify: job({
    queue: 'notifications',
    payload: Type.Object({ notificationId: Uuid }, { additionalProperties: false }),
    attempts: 6,
    backoffMs: 2000,
    identity: 'job-id',
    keepCompleted: 1000,
  }),
  /** Commit an import's staged rows in batches through the ingest commands (resumes where it stopped). */
  'commit-import': job({
    queue: 'imports',
    payload: Type.Object({ importId: Uuid }, { additionalProperties: false }),
    attempts: 5,
    backoffMs: 2000,
    identity: 'job-id',
    keepCompleted: 100,
  }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = Static<(typeof JOBS)[N]['payload']>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** The jobs that run on a schedule, with their schedule. */
export function scheduledJobs(): {
  name: JobName;
  queue: QueueName;
  attempts: number;
  schedule: NonNullable<JobSpec<TSchema>['schedule']>;
}[] {
  return JOB_NAMES.flatMap((name) => {
    const spec: JobSpec<TSchema> = JOBS[name];
    return spec.schedule
      ? [{ name, queue: spec.queue, attempts: spec.attempts, schedule: spec.schedule }]
      : [];
  });
}

const validators = Object.fromEntries(
  JOB_NAMES.map((name) => [name, Compile(JOBS[name].payload as TSchema)]),
) as Record<JobName, ReturnType<typeof Compile>>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

/** Problems with a payload for `name` (empty when it is valid). */
export function payloadProblems(name: JobName, payload: unknown): string[] {
  const validator = validators[name];
  if (validator.Check(payload)) return [];
  return validator.Errors(payload).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** BullMQ forbids `:` in custom job ids; ours are built from ids joined with `-`. */
export function jobIdFor(name: JobName, ...parts: readonly (string | number)[]): string {
  const id = [name, ...parts].join('-');
  if (id.includes(':')) throw new Error(`job id must not contain ':' (${id})`);
  return id;
}
