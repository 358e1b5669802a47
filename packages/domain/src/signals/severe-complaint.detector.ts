import type { Rules } from '../rules.js';
import type { ComplaintCategory, Severity } from '../vocabulary.js';
import { clear, fired } from './detection.js';
import type { Detection } from './detection.js';

/** Input of {@link detectSevereComplaint}: one complaint, as ingested (no customer data). */
export interface SevereComplaintInput {
  readonly complaintId: string;
  readonly category: ComplaintCategory;
  readonly severity: Severity;
  /** When it happened: a `YYYY-MM-DD` day or an ISO timestamp, copied into the evidence as given. */
  readonly occurredAt: string;
}

/** `severe_complaint`: one complaint whose category is in `rules.severeComplaint.categories`, whatever its severity. */
export function detectSevereComplaint(input: SevereComplaintInput, rules: Rules): Detection {
  const isSevere = rules.severeComplaint.categories.includes(input.category);
  const evidence = {
    complaintId: input.complaintId,
    category: input.category,
    severity: input.severity,
    occurredAt: input.occurredAt,
    summary: `${isSevere ? 'severe' : 'non-severe'} complaint ${input.complaintId}: ${input.category.replaceAll('_', ' ')}, severity ${input.severity}, on ${input.occurredAt}`,
  };
  return isSevere ? fired(evidence) : clear(evidence);
}
