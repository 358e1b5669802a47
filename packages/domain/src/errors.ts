/** What kind of failure an {@link AppError} is; decides the HTTP status and whether a job retries. */
export type ErrorKind =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rule_refused'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ErrorKindInfo {
  readonly status: number;
  readonly retryable: boolean;
}

export const ERROR_KINDS: Readonly<Record<ErrorKind, ErrorKindInfo>> = {
  invalid_input: { status: 400, retryable: false },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  rule_refused: { status: 422, retryable: false },
  rate_limited: { status: 429, retryable: true },
  unavailable: { status: 503, retryable: true },
  internal: { status: 500, retryable: true },
};

/**
 * The one error type of Product Tower. `code` is a SCREAMING_SNAKE machine code
 * (`PRODUCT_NOT_FOUND`); `details` is merged into the HTTP error body.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_KINDS[this.kind].status;
  }

  get retryable(): boolean {
    return ERROR_KINDS[this.kind].retryable;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** A reason a rule refused something; gates report every reason, not the first. */
export interface Reason {
  readonly code: string;
  readonly message: string;
  readonly [extra: string]: unknown;
}
