import { describe, expect, it } from 'vitest';
import { AppError } from '@tower/domain';

describe('AppError', () => {
  it('maps its kind to an HTTP status', () => {
    expect(new AppError('PRODUCT_NOT_FOUND', 'not_found', 'no such product').status).toBe(404);
    expect(new AppError('GUARD_FAILED', 'rule_refused', 'refused').status).toBe(422);
  });
});
