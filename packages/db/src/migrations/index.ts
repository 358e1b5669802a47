import type { Migration, MigrationProvider } from 'kysely';
import * as spine from './0001-spine.js';
import * as signals from './0002-signals.js';
import * as outboxNotify from './0003-outbox-notify.js';
import * as reviews from './0005-reviews.js';
import * as launchChecklists from './0006-launch-checklists.js';
import * as house from './0010-house.js';
import * as evaluationMarks from './0008-evaluation-marks.js';
import * as evaluationMarksTouched from './0008-evaluation-marks-touched.js';
import * as routingVersion from './0008-routing-version.js';
import * as reliability from './0004-reliability.js';
import * as imports from './0007-imports.js';
import * as signalTuning from './0009-signal-tuning.js';
import * as reviewsPriceHistory from './0011-reviews-price-history.js';
import * as salesRollupDeltas from './0012-sales-rollup-deltas.js';
import * as complaintEvaluationMarks from './0013-complaint-evaluation-marks.js';
import * as salesEvaluationTouches from './0014-sales-evaluation-touches.js';
import * as salesRollupFillfactor from './0015-sales-rollup-fillfactor.js';
import * as salesEvaluationClaims from './0016-sales-evaluation-claims.js';
import * as salesDailyByMonth from './0017-sales-daily-by-month.js';

/** Every migration, in order; in code so that vitest and tsx load them alike (STACK.md trap 4). */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-spine': spine,
  '0002-signals': signals,
  '0003-outbox-notify': outboxNotify,
  '0005-reviews': reviews,
  '0006-launch-checklists': launchChecklists,
  '0010-house': house,
  '0008-evaluation-marks': evaluationMarks,
  '0008-evaluation-marks-touched': evaluationMarksTouched,
  '0008-routing-version': routingVersion,
  '0004-reliability': reliability,
  '0007-imports': imports,
  '0009-signal-tuning': signalTuning,
  '0011-reviews-price-history': reviewsPriceHistory,
  '0012-sales-rollup-deltas': salesRollupDeltas,
  '0013-complaint-evaluation-marks': complaintEvaluationMarks,
  '0014-sales-evaluation-touches': salesEvaluationTouches,
  '0015-sales-rollup-fillfactor': salesRollupFillfactor,
  '0016-sales-evaluation-claims': salesEvaluationClaims,
  '0017-sales-daily-by-month': salesDailyByMonth,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};
