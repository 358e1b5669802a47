/** Ids of DOMAIN.md, as data so that schemas, SQL checks and switches share one list. */

export const ROLES = [
  'product_manager',
  'marketing_manager',
  'department_manager',
  'compliance_officer',
  'director',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const TIERS = ['traffic', 'profit', 'flagship', 'custom', 'package'] as const;
export type Tier = (typeof TIERS)[number];

export const PRICE_TYPES = [
  'list',
  'activity',
  'first_order',
  'repurchase',
  'session_card',
  'flash_sale',
  'member',
] as const;
export type PriceType = (typeof PRICE_TYPES)[number];
/** Every price type but `list`: the headroom rule keeps list ≥ each of these × factor. */
export const ACTIVITY_PRICE_TYPES: readonly PriceType[] = PRICE_TYPES.filter((t) => t !== 'list');

export const STAGES = [
  'research',
  'packaging',
  'pricing',
  'training',
  'launch',
  'monitoring',
  'retirement',
  'retired',
  'rejected',
] as const;
export type Stage = (typeof STAGES)[number];
/** Stages before a product is on sale, in order; `stage_stalled` watches these. */
export const PRE_LAUNCH_STAGES = ['research', 'packaging', 'pricing', 'training', 'launch'] as const;
export type PreLaunchStage = (typeof PRE_LAUNCH_STAGES)[number];
/** Stages in which a product is on sale (or phasing out) and its facts are watched. */
export const LIVE_STAGES: readonly Stage[] = ['monitoring', 'retirement'];

/** Is a product in `stage` on sale, so that its signals are evaluated? */
export function isLiveStage(stage: string): boolean {
  return (LIVE_STAGES as readonly string[]).includes(stage);
}

export const TRAINEE_ROLES = ['doctor', 'consultant', 'nurse'] as const;
export type TraineeRole = (typeof TRAINEE_ROLES)[number];

export const CHANNEL_KINDS = ['wecom', 'dingtalk', 'feishu', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const SIGNALS = [
  'sales_dip',
  'target_miss',
  'complaint_spike',
  'severe_complaint',
  'margin_erosion',
  'competitor_undercut',
  'stage_stalled',
  'launch_item_overdue',
] as const;
export type Signal = (typeof SIGNALS)[number];

/** The signal of the quarterly review task (one per department and quarter; no detector, no routing row). */
export const REVIEW_SIGNAL = 'quarterly_review';
/** Every signal a task may carry: the detectors' and the quarterly review's. */
export const TASK_SIGNALS = [...SIGNALS, REVIEW_SIGNAL] as const;
export type TaskSignal = (typeof TASK_SIGNALS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const COMPLAINT_CATEGORIES = [
  'effect_below_expectation',
  'adverse_reaction',
  'medical_dispute',
  'service',
  'price',
  'environment',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export const TASK_STATUSES = ['open', 'acknowledged', 'resolved', 'dismissed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A notification waits (`pending`) until its channel accepted it (`sent`) or its retries ran out (`failed`). */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** A quarterly review is `pending` until its figures are computed, then `ready`. */
export const REVIEW_STATUSES = ['pending', 'ready'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const DECISIONS = ['keep', 'reprice', 'repackage', 'retrain', 'promote', 'retire', 'dismiss'] as const;
export type Decision = (typeof DECISIONS)[number];

/** The growth × share quadrants of the quarterly review. */
export const QUADRANTS = ['star', 'cash_cow', 'question_mark', 'dog'] as const;
export type Quadrant = (typeof QUADRANTS)[number];

export const CALENDAR_DAY_KINDS = ['holiday', 'workday', 'promotion'] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export const SHEET_TEXT_FIELDS = [
  'spec',
  'certification',
  'ingredients',
  'efficacy',
  'targetCustomers',
  'sellingPoints',
  'comparison',
  'precautions',
  'clinicalInfo',
  'salesScripts',
] as const;
export type SheetTextField = (typeof SHEET_TEXT_FIELDS)[number];

/** The product information sheet (产品信息梳理表); any field may be missing while it is a draft. */
export type Sheet = Partial<Record<SheetTextField, string>> & {
  indications?: string[];
  contraindications?: string[];
};

/** The sheet fields the over-promise check reads. */
export const CLAIM_FIELDS: readonly SheetTextField[] = [
  'efficacy',
  'sellingPoints',
  'salesScripts',
  'comparison',
];

/**
 * What a fact-bringing request did: `accepted` (rows taken, evaluated later), `created` (a new
 * record), `existing` (the record was there already). The API maps each to its HTTP status.
 */
export const INGEST_OUTCOMES = ['accepted', 'created', 'existing'] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];
