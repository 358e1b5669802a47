import type { ColumnType } from 'kysely';

/** A column the database fills in on insert (defaults); optional in inserts. */
export type Default<T> = ColumnType<T, T | undefined, T>;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns come back as `YYYY-MM-DD` strings (see the type parser in connection.ts). */
export type DateString = ColumnType<string, string, string>;
export type Json<T = unknown> = ColumnType<T, string, string>;
