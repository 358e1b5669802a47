import { AppError, isAppError } from '@tower/domain';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  table?: string;
}

function isPgError(error: unknown): error is PgError & Error {
  return error instanceof Error && !isAppError(error) && typeof (error as PgError).code === 'string';
}

/** A serialization failure or deadlock: the caller may simply run the transaction again. */
export function isRetryableDbError(error: unknown): boolean {
  return isAppError(error) && error.code === 'DB_CONCURRENT_UPDATE';
}

/** A unique violation (of `constraint`, or one whose name matches it, when given), as translated at the db boundary. */
export function isUniqueViolation(error: unknown, constraint?: string | RegExp): boolean {
  if (!isAppError(error) || error.code !== 'DB_DUPLICATE') return false;
  if (constraint === undefined) return true;
  const name = error.details.constraint;
  return typeof constraint === 'string'
    ? name === constraint
    : typeof name === 'string' && constraint.test(name);
}

/**
 * A row that no partition of `table` takes (its month's is not made yet): Postgres names the table and
 * no constraint, where a failed CHECK names its constraint.
 */
export function isMissingPartition(error: unknown, table: string): boolean {
  return (
    isPgError(error) && error.code === '23514' && error.table === table && error.constraint === undefined
  );
}

/**
 * Translates a Postgres error into an {@link AppError}; anything not recognised (a connection
 * refused, a bug) is returned unchanged. Runs once, in the driver every Kysely instance uses
 * (`createDb`), so the API and the workers both only ever see AppErrors for these.
 */
export function translateDbError(error: unknown): unknown {
  if (!isPgError(error)) return error;
  const cause = { cause: error };
  switch (error.code) {
    case '23505':
      return new AppError('DB_DUPLICATE', 'That already exists.', { constraint: error.constraint }, cause);
    case '23503':
      return new AppError(
        'DB_REFERENCE_NOT_FOUND',
        'A referenced record does not exist.',
        { constraint: error.constraint },
        cause,
      );
    // Values the boundary should have refused (bad uuid, NUL in text, impossible dates): still the client's.
    case '22P02':
    case '22021':
    case '22P05':
    case '22007':
    case '22008':
    case '22009':
    case '22003':
      return new AppError(
        'DB_VALUE_UNSTORABLE',
        'A value cannot be stored as given.',
        { sqlState: error.code },
        cause,
      );
    case '40001':
    case '40P01':
      return new AppError(
        'DB_CONCURRENT_UPDATE',
        'A concurrent change got in the way; try again.',
        {},
        cause,
      );
    case '57014':
      return new AppError('DB_TIMEOUT', 'A query ran past its time limit; try again.', {}, cause);
    case '57P01':
    case '57P03':
    case '08006':
    case '08001':
      return new AppError('DB_UNAVAILABLE', 'The database is not available.', {}, cause);
    default:
      return error;
  }
}
