import { sql, type Kysely } from 'kysely';

/**
 * Imports of CSV/XLSX exports: the import record, its staged rows (the file's cells as read, each
 * with the problem that refuses it, if any), the batches committed so far, and the column mapping
 * remembered per (kind, source) for the next file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table imports (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('sales', 'complaints', 'competitor-prices', 'targets')),
      status text not null default 'preview' check (status in ('preview', 'committing', 'done', 'failed')),
      file_name text not null,
      file_size bigint not null default 0,
      file_sha256 text,
      sheet text,
      encoding text,
      source text not null,
      headers text[] not null,
      mapping jsonb not null,
      mapping_problems jsonb not null default '[]',
      rows_total integer not null default 0,
      rows_refused_preview integer not null default 0,
      problem_count integer not null default 0,
      problems jsonb not null default '[]',
      preview jsonb not null default '[]',
      batch_size integer not null,
      error text,
      created_by uuid not null references people (id),
      created_at timestamptz not null default now(),
      uploaded_at timestamptz,
      committed_by uuid references people (id),
      committed_at timestamptz,
      finished_at timestamptz
    );
    create index imports_created_idx on imports (created_at desc, id desc);
    create unique index imports_same_file_idx on imports (kind, file_sha256, coalesce(sheet, ''))
      where file_sha256 is not null and status <> 'failed';

    create table import_rows (
      import_id uuid not null references imports (id) on delete cascade,
      seq integer not null,
      row_no integer not null,
      line text not null,
      problem text,
      primary key (import_id, seq)
    );

    create table import_batches (
      import_id uuid not null references imports (id) on delete cascade,
      batch_no integer not null,
      stored integer not null,
      refused integer not null,
      done_at timestamptz not null default now(),
      primary key (import_id, batch_no)
    );

    create table import_sources (
      kind text not null,
      source text not null,
      mapping jsonb not null,
      updated_by uuid references people (id),
      updated_at timestamptz not null default now(),
      primary key (kind, source)
    );
  `.execute(db);
}
