/** Quarterly product-tower reviews and the decisions taken in them. */
import type { ColumnType, Generated } from 'kysely';
import type { LifecycleEventType, ReviewDecision, ReviewStatus, Stage } from '@tower/domain';
import type { Default, Timestamp } from './columns.js';

export interface ReviewTable {
  id: Generated<string>;
  quarter: string;
  status: Default<ReviewStatus>;
  departments: ColumnType<unknown, string | undefined, string>;
  productCount: Default<number>;
  requestedBy: string | null;
  computedAt: Timestamp | null;
  computeMs: number | null;
  runs: Default<number>;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

export interface ReviewDecisionTable {
  reviewId: string;
  productId: string;
  decision: ReviewDecision;
  note: string;
  decidedBy: string;
  decidedAt: Generated<Date>;
  lifecycleEvent: LifecycleEventType | null;
  /** The product's stage and version when the decision was taken. */
  stage: Stage;
  productVersion: number;
}
