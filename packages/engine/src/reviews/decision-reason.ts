import { wordFor } from '@tower/domain';

/** The reason a review decision carries into the product's history: the review, its quarter, the note. */
export function reviewDecisionReason(quarter: string, note: string): string {
  return `${wordFor('signals', 'quarterly_review')} ${quarter}: ${note}`;
}
