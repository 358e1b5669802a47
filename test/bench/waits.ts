import { sql } from 'kysely';
import type { Db } from '@tower/db';

/** Pool names (application_name) of the services and of this process. */
const APP_LABELS: Readonly<Record<string, string>> = {
  'tower-api': 'api',
  'tower-worker': 'worker',
  'tower-test': 'bench',
};

/**
 * Samples `pg_stat_activity` of one database while a phase runs: what each service's sessions are
 * doing (running, waiting on a lock or I/O, idle inside a transaction, idle), as the share of samples.
 */
export class WaitSampler {
  private readonly counts = new Map<string, Map<string, number>>();
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly database: string,
    private readonly everyMs = 50,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sample()).catch(() => undefined);
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async sample(): Promise<void> {
    const { rows } = await sql<{ app: string; what: string }>`
      select application_name as app,
        case
          when state = 'active' and wait_event is null then 'running'
          when state = 'active' then 'waiting ' || wait_event_type || ':' || wait_event
          when state = 'idle in transaction' then 'idle in transaction'
          else coalesce(state, 'unknown')
        end as what
      from pg_stat_activity
      where datname = ${this.database} and pid <> pg_backend_pid() and application_name in ('tower-api', 'tower-worker', 'tower-test')
    `.execute(this.db);
    this.samples += 1;
    for (const row of rows) {
      const byWhat = this.counts.get(row.app) ?? new Map<string, number>();
      byWhat.set(row.what, (byWhat.get(row.what) ?? 0) + 1);
      this.counts.set(row.app, byWhat);
    }
  }

  /**
   * One line per service: its sessions on average, split by what they were doing, most first, leaving
   * out what took under 0.05 of a session ("api 6.0 sessions: running 2.2 · waiting Lock:transactionid 1.0 · idle 2.4").
   */
  describe(): string[] {
    if (this.samples === 0) return [];
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([app, byWhat]) => {
        const total = [...byWhat.values()].reduce((sum, n) => sum + n, 0) / this.samples;
        const parts = [...byWhat.entries()]
          .map(([what, n]) => [what, n / this.samples] as const)
          .filter(([, sessions]) => sessions >= 0.05)
          .sort(([, a], [, b]) => b - a)
          .map(([what, sessions]) => `${what} ${sessions.toFixed(1)}`);
        return `${APP_LABELS[app] ?? app} ${total.toFixed(1)} sessions: ${parts.join(' · ')}`;
      });
  }
}
