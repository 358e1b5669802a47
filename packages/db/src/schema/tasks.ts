/** Signals, review tasks with their evidence and comments, silences, notifications and tuning. */
import type { Generated } from 'kysely';
import type {
  ChannelKind,
  Decision,
  NotificationStatus,
  Severity,
  Signal,
  TaskSignal,
  TaskStatus,
} from '@tower/domain';
import type { Default, Timestamp, DateString, Json } from './columns.js';

export interface TaskTable {
  id: Generated<string>;
  /** Null only for a quarterly review task, which is about a department of a review. */
  productId: string | null;
  departmentId: Default<string | null>;
  reviewId: Default<string | null>;
  branchId: string | null;
  signal: TaskSignal;
  subjectKey: Default<string>;
  severity: Severity;
  status: TaskStatus;
  snapshot: Json;
  assignees: string[];
  informed: Default<string[]>;
  dueAt: Timestamp;
  escalationLevel: Default<number>;
  lastFiredOn: DateString | null;
  decision: Decision | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  resolvedAt: Timestamp | null;
  resolvedAsOf: DateString | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Timestamp | null;
  feedbackUseful: boolean | null;
  feedbackBy: string | null;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

export interface TaskEvidenceTable {
  id: Generated<number>;
  taskId: string;
  firedOn: DateString;
  /** Tells apart several pieces of evidence of one day (e.g. two severe complaints). */
  evidenceKey: Default<string>;
  data: Json;
  createdAt: Generated<Date>;
}

export interface TaskCommentTable {
  id: Generated<string>;
  taskId: string;
  authorId: string;
  text: string;
  createdAt: Generated<Date>;
}

export interface SignalTable {
  id: Generated<number>;
  productId: string;
  branchId: string | null;
  signal: Signal;
  subjectKey: Default<string>;
  firedOn: DateString;
  evidenceKey: Default<string>;
  evidence: Json;
  silenced: Default<boolean>;
  taskId: string | null;
  createdAt: Generated<Date>;
}

export interface SilenceTable {
  id: Generated<string>;
  productId: string;
  signal: Signal;
  branchId: string | null;
  until: Timestamp;
  reason: string;
  createdBy: string;
  createdAt: Generated<Date>;
}

export interface NotificationTable {
  id: Generated<string>;
  taskId: string;
  personId: string;
  channelId: string | null;
  kind: ChannelKind;
  reason: string;
  status: Default<NotificationStatus>;
  attempts: Default<number>;
  createdAt: Generated<Date>;
  sentAt: Timestamp | null;
}

export interface NotificationAttemptTable {
  id: Generated<number>;
  notificationId: string;
  at: Generated<Date>;
  statusCode: number | null;
  ok: boolean;
  error: string | null;
  durationMs: number;
}

/** False alarms and the tightening they earned, per (product, signal, branch); `branchKey` is `chain` for no branch. */
export interface SignalTuningTable {
  productId: string;
  signal: Signal;
  branchKey: string;
  branchId: string | null;
  falseAlarms: Default<number>;
  level: Default<number>;
  resetAt: Timestamp | null;
  resetBy: string | null;
  updatedAt: Timestamp;
}
