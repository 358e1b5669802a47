/** What kind of failure an {@link AppError} is; decides the HTTP status and whether a job retries. */
export type ErrorKind =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rule_refused'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ErrorKindInfo {
  readonly status: number;
  readonly retryable: boolean;
}

/**
 * Kind → HTTP status and retryability. `internal` is a bug or a corrupt record: retrying cannot
 * help, so a job refuses at once instead of trying five times.
 */
export const ERROR_KINDS: Readonly<Record<ErrorKind, ErrorKindInfo>> = {
  invalid_input: { status: 400, retryable: false },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  rule_refused: { status: 422, retryable: false },
  rate_limited: { status: 429, retryable: true },
  unavailable: { status: 503, retryable: true },
  internal: { status: 500, retryable: false },
};

export interface ErrorCodeInfo {
  readonly kind: ErrorKind;
  /** The machine code clients see as `error` in the body; stable, snake_case. */
  readonly wire: string;
  readonly description: string;
}

function code(kind: ErrorKind, wire: string, description: string): ErrorCodeInfo {
  return { kind, wire, description };
}

/**
 * Every error the system raises: code → kind (→ status, retryable) → the wire `error` string.
 * Codes are SCREAMING_SNAKE by area; wire strings are what `API.md` and clients rely on and do not
 * change when a code is renamed.
 */
export const ERROR_CODES = {
  // Requests in general
  INVALID_INPUT: code(
    'invalid_input',
    'invalid_input',
    'The request is not valid; `fields` names every problem.',
  ),
  INVALID_DATE: code('invalid_input', 'invalid_date', 'A date or month is not a real calendar day.'),
  PAGE_CURSOR_INVALID: code('invalid_input', 'invalid_input', 'The cursor is not one this API gave out.'),
  PAYLOAD_TOO_LARGE: code(
    'payload_too_large',
    'payload_too_large',
    'The request body is larger than allowed.',
  ),
  UNSUPPORTED_MEDIA_TYPE: code('unsupported_media_type', 'unsupported_media_type', 'The body is not JSON.'),
  RATE_LIMITED: code('rate_limited', 'rate_limited', 'Too many requests; wait and try again.'),
  ROUTE_NOT_FOUND: code('not_found', 'route_not_found', 'No route has this method and path.'),
  BODY_TOO_DEEP: code('invalid_input', 'body_too_deep', 'The JSON body nests deeper than allowed.'),
  INTERNAL: code('internal', 'internal', 'Something went wrong on our side; it has been logged.'),
  // Sign-in and access
  AUTH_REQUIRED: code(
    'unauthorized',
    'unauthorized',
    'No token or key, or one that is unknown, expired or revoked.',
  ),
  AUTH_INVALID_CREDENTIALS: code('unauthorized', 'invalid_credentials', 'Email or password is wrong.'),
  AUTH_PERSON_REQUIRED: code(
    'forbidden',
    'person_required',
    'Only a signed-in person may do this; API keys only ingest.',
  ),
  AUTH_LOGIN_UNAVAILABLE: code(
    'unavailable',
    'login_unavailable',
    'Sign-in attempts cannot be counted (Redis is away), so sign-in is refused for now.',
  ),
  AUTH_PERSON_GONE: code('not_found', 'person_not_found', 'The signed-in person no longer exists.'),
  AUTH_ADMIN_NOT_CONFIGURED: code(
    'internal',
    'admin_not_configured',
    'Nobody exists and no first admin is configured.',
  ),
  API_KEY_NOT_FOUND: code('not_found', 'api_key_not_found', 'No live API key with this id.'),
  API_KEY_SCOPE_REQUIRED: code('forbidden', 'forbidden', 'The API key lacks the scope of this route.'),
  ROLE_REQUIRED: code('forbidden', 'forbidden', 'The caller’s roles may not do this to this object.'),
  // Organisation
  BRANCH_CODE_TAKEN: code('conflict', 'branch_code_taken', 'A branch with this code (in any case) exists.'),
  DEPARTMENT_CODE_TAKEN: code(
    'conflict',
    'department_code_taken',
    'A department with this code (in any case) exists.',
  ),
  PERSON_EMAIL_TAKEN: code('conflict', 'email_taken', 'Someone with this email exists.'),
  PERSON_NOT_FOUND: code('not_found', 'person_not_found', 'No person with this id.'),
  PERSON_INACTIVE: code('conflict', 'person_inactive', 'The person is already deactivated.'),
  CHANNEL_NOT_FOUND: code(
    'not_found',
    'channel_not_found',
    'The person has no notification channel with this id.',
  ),
  PERSON_DEACTIVATE_SELF: code(
    'rule_refused',
    'cannot_deactivate_self',
    'An admin cannot deactivate themself.',
  ),
  // Products and their life cycle
  PRODUCT_NOT_FOUND: code(
    'not_found',
    'product_not_found',
    'No product with this id that the caller may see.',
  ),
  PRODUCT_CLOSED: code(
    'conflict',
    'product_closed',
    'The product is rejected or retired; it can no longer change.',
  ),
  PRODUCT_STAGE_LOCKED: code('conflict', 'stage_locked', 'This part cannot change in the current stage.'),
  TRAINEE_NOT_FOUND: code('not_found', 'trainee_not_found', 'No trainee with this id on this product.'),
  LIFECYCLE_EVENT_NOT_ALLOWED: code(
    'conflict',
    'event_not_allowed',
    'The current stage does not accept this event; `allowed` lists those it does.',
  ),
  LIFECYCLE_GUARD_FAILED: code(
    'rule_refused',
    'guard_failed',
    'A gate refused the event; `reasons` lists every reason.',
  ),
  LIFECYCLE_STATE_UNKNOWN: code(
    'internal',
    'lifecycle_state_unknown',
    'A stored life-cycle state is not one the machine knows.',
  ),
  LIFECYCLE_ACTION_UNKNOWN: code(
    'internal',
    'lifecycle_action_unknown',
    'The life-cycle machine returned an action the engine does not know.',
  ),
  LIFECYCLE_SNAPSHOT_INVALID: code(
    'internal',
    'lifecycle_snapshot_invalid',
    'A stored life-cycle snapshot is not valid.',
  ),
  // Quarterly reviews
  REVIEW_NOT_FOUND: code('not_found', 'review_not_found', 'No quarterly review with this id.'),
  REVIEW_QUARTER_NOT_STARTED: code(
    'rule_refused',
    'quarter_not_started',
    'A quarter that has not begun cannot be reviewed.',
  ),
  REVIEW_PRODUCT_NOT_FOUND: code(
    'not_found',
    'review_product_not_found',
    'The product is not in this review, or not in a department the caller may see.',
  ),
  REVIEW_DECISION_EXISTS: code(
    'conflict',
    'review_decision_exists',
    'A decision on this product is already recorded in this review.',
  ),
  REVIEW_DECISION_PER_PRODUCT: code(
    'conflict',
    'review_decision_per_product',
    'A quarterly review task is about a department: decisions that move a product are recorded on the review.',
  ),
  // Review tasks and silences
  TASK_NOT_FOUND: code('not_found', 'task_not_found', 'No task with this id that the caller may see.'),
  SIGNAL_TUNING_NOT_FOUND: code(
    'not_found',
    'signal_tuning_not_found',
    'No false alarms are recorded for this product, signal and branch.',
  ),
  TASK_EVENT_NOT_ALLOWED: code(
    'conflict',
    'task_event_not_allowed',
    'The task’s state does not accept this action.',
  ),
  TASK_ACTION_UNKNOWN: code(
    'internal',
    'task_action_unknown',
    'The review-task machine returned an action the engine does not know.',
  ),
  REVIEW_TASK_SNAPSHOT_INVALID: code(
    'internal',
    'review_task_snapshot_invalid',
    'A stored review-task snapshot is not valid.',
  ),
  REVIEW_DECISION_NOT_LIFECYCLE: code(
    'internal',
    'review_decision_not_lifecycle',
    'A review decision has no life-cycle event.',
  ),
  SILENCE_NOT_FOUND: code(
    'not_found',
    'silence_not_found',
    'No silence with this id that the caller may see.',
  ),
  // Launch checklists
  LAUNCH_ITEM_NOT_FOUND: code(
    'not_found',
    'launch_item_not_found',
    'No launch item with this id that the caller may see.',
  ),
  LAUNCH_ITEM_EVENT_NOT_ALLOWED: code(
    'conflict',
    'event_not_allowed',
    'The launch item’s state does not accept this (a done item cannot be completed again); `allowed` lists what it does.',
  ),
  LAUNCH_PRODUCT_NOT_LAUNCHING: code(
    'conflict',
    'product_not_launching',
    'The product is not in launch; its checklist changes only then.',
  ),
  LAUNCH_DATE_MISSING: code('conflict', 'launch_date_missing', 'The product has no target launch date.'),
  LAUNCH_ITEM_STATUS_INVALID: code(
    'internal',
    'launch_item_status_invalid',
    'A stored launch item status is not one the machine knows.',
  ),
  LAUNCH_TEMPLATE_INVALID: code(
    'internal',
    'launch_template_invalid',
    'A stored launch template is not a list of template items.',
  ),
  LAUNCH_TEMPLATE_NOT_FOUND: code(
    'internal',
    'launch_template_not_found',
    'A checklist names a template version that is not stored.',
  ),
  // Facts in
  INGEST_TOO_MANY_ROWS: code('payload_too_large', 'too_many_rows', 'More rows than one request may carry.'),
  IDEMPOTENCY_KEY_REUSED: code(
    'rule_refused',
    'idempotency_key_reused',
    'This Idempotency-Key was used with a different body.',
  ),
  IDEMPOTENCY_KEY_IN_FLIGHT: code(
    'conflict',
    'idempotency_key_in_flight',
    'A request with this Idempotency-Key is still in progress.',
  ),
  // Imports
  IMPORT_NOT_FOUND: code('not_found', 'import_not_found', 'No import with this id that the caller may see.'),
  IMPORT_EMPTY: code('invalid_input', 'invalid_input', 'The file has no header row.'),
  IMPORT_UNREADABLE: code(
    'invalid_input',
    'file_unreadable',
    'The file is not a readable CSV or .xlsx file.',
  ),
  IMPORT_SHEET_NOT_FOUND: code('invalid_input', 'sheet_not_found', 'The workbook has no sheet of that name.'),
  IMPORT_TOO_LARGE: code(
    'payload_too_large',
    'payload_too_large',
    'The file is larger than IMPORT_MAX_BYTES.',
  ),
  IMPORT_MAPPING_INVALID: code(
    'invalid_input',
    'invalid_input',
    'The column mapping is not valid; `fields` names every problem.',
  ),
  IMPORT_MAPPING_INCOMPLETE: code(
    'rule_refused',
    'mapping_incomplete',
    'Required fields are not mapped to columns yet.',
  ),
  IMPORT_NOT_IN_PREVIEW: code(
    'conflict',
    'import_not_in_preview',
    'The import is committing or done; only a preview changes or commits.',
  ),
  IMPORT_SAME_FILE_IN_FLIGHT: code(
    'conflict',
    'import_in_flight',
    'The same file is being uploaded by another request.',
  ),
  IMPORT_PERSON_GONE: code(
    'internal',
    'import_person_gone',
    'The person who committed the import no longer exists.',
  ),
  // Infrastructure
  NOTIFICATION_FAILED: code(
    'unavailable',
    'notification_failed',
    'A channel did not take a notification; it is retried.',
  ),
  QUEUE_UNAVAILABLE: code('unavailable', 'queue_unavailable', 'Redis did not answer in time.'),
  DB_DUPLICATE: code('conflict', 'duplicate', 'That already exists (unique violation).'),
  DB_REFERENCE_NOT_FOUND: code('invalid_input', 'reference_not_found', 'A referenced record does not exist.'),
  DB_VALUE_UNSTORABLE: code('invalid_input', 'invalid_input', 'A value cannot be stored as given.'),
  DB_CONCURRENT_UPDATE: code(
    'unavailable',
    'concurrent_update',
    'A concurrent change got in the way (serialization failure or deadlock); try again.',
  ),
  DB_TIMEOUT: code('unavailable', 'database_timeout', 'A query ran past its time limit.'),
  DB_UNAVAILABLE: code('unavailable', 'database_unavailable', 'The database is not available.'),
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as ErrorCode[];

/** The wire `error` strings the API can answer with (several codes may share one). */
export type WireError = (typeof ERROR_CODES)[ErrorCode]['wire'];

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}

/** Wire strings answering with `status`, for response schemas. */
export function wireErrorsOfStatus(status: number): WireError[] {
  return [
    ...new Set(
      ERROR_CODE_NAMES.filter((c) => ERROR_KINDS[ERROR_CODES[c].kind].status === status).map(
        (c) => ERROR_CODES[c].wire,
      ),
    ),
  ];
}

/**
 * The one error type of Product Tower. `code` is from {@link ERROR_CODES}; its kind, HTTP status,
 * retryability and wire string follow from it. `details` is merged into the HTTP error body.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly kind: ErrorKind;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.kind = ERROR_CODES[code].kind;
  }

  get status(): number {
    return ERROR_KINDS[this.kind].status;
  }

  get retryable(): boolean {
    return ERROR_KINDS[this.kind].retryable;
  }

  /** The `error` string of the HTTP body. */
  get wire(): WireError {
    return ERROR_CODES[this.code].wire;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** For the `default` of a switch that must cover every case: fails to compile when one is missing. */
export function assertNever(value: never, what: string): never {
  throw new AppError('INTERNAL', `Unhandled ${what}: ${String(value)}.`);
}

/** A reason a rule refused something; gates report every reason, not the first. */
export interface Reason {
  readonly code: string;
  readonly message: string;
  readonly [extra: string]: unknown;
}
