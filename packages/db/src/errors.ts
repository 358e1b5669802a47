import { AppError } from '@tower/domain';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

function isPgError(error: unknown): error is PgError & Error {
  return error instanceof Error && typeof (error as PgError).code === 'string';
}

/** Postgres SQLSTATEs a caller may simply retry (serialization failure, deadlock). */
export function isRetryableDbError(error: unknown): boolean {
  return isPgError(error) && (error.code === '40001' || error.code === '40P01');
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return (
    isPgError(error) &&
    error.code === '23505' &&
    (constraint === undefined || error.constraint === constraint)
  );
}

/**
 * Translates a Postgres error into an {@link AppError} once, at the db boundary; anything not
 * recognised is returned unchanged.
 */
export function translateDbError(error: unknown): unknown {
  if (!isPgError(error)) return error;
  switch (error.code) {
    case '23505':
      return new AppError('DUPLICATE', 'conflict', 'That already exists.', { constraint: error.constraint });
    case '23503':
      return new AppError('REFERENCE_NOT_FOUND', 'invalid_input', 'A referenced record does not exist.', {
        constraint: error.constraint,
      });
    // Values the boundary should have refused (bad uuid, NUL in text, impossible dates): still the client's.
    case '22P02':
    case '22021':
    case '22P05':
    case '22007':
    case '22008':
    case '22009':
    case '22003':
      return new AppError('INVALID_INPUT', 'invalid_input', 'A value cannot be stored as given.', {
        sqlState: error.code,
      });
    case '40001':
    case '40P01':
      return new AppError(
        'CONCURRENT_UPDATE',
        'unavailable',
        'A concurrent change got in the way; try again.',
      );
    case '57P01':
    case '57P03':
    case '08006':
    case '08001':
      return new AppError('DATABASE_UNAVAILABLE', 'unavailable', 'The database is not available.');
    default:
      return error;
  }
}
