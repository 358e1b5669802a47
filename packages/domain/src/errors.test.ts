import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODE_NAMES, ERROR_CODES, wireErrorsOfStatus } from '@tower/domain';

describe('AppError', () => {
  it('takes its kind, status and wire string from the code', () => {
    const notFound = new AppError('PRODUCT_NOT_FOUND', 'no such product');
    expect([notFound.kind, notFound.status, notFound.wire]).toEqual(['not_found', 404, 'product_not_found']);
    const refused = new AppError('LIFECYCLE_GUARD_FAILED', 'refused');
    expect([refused.status, refused.wire]).toEqual([422, 'guard_failed']);
  });

  it('never retries an internal error, retries an unavailable one', () => {
    expect(new AppError('LIFECYCLE_SNAPSHOT_INVALID', 'bad').retryable).toBe(false);
    expect(new AppError('DB_CONCURRENT_UPDATE', 'again').retryable).toBe(true);
  });

  it('keeps the wire strings clients rely on', () => {
    expect(ERROR_CODES.LIFECYCLE_EVENT_NOT_ALLOWED.wire).toBe('event_not_allowed');
    expect(ERROR_CODES.INVALID_INPUT.wire).toBe('invalid_input');
    expect(wireErrorsOfStatus(409)).toContain('event_not_allowed');
  });

  it('spells every wire string in snake_case', () => {
    for (const code of ERROR_CODE_NAMES) expect(ERROR_CODES[code].wire).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
  });
});
