import { IMPORT_FIELDS, normaliseHeader, type ImportKind } from './import.fields.js';
import { worded, type WordedProblem } from './import.problems.js';

/** Which column (by its header as written) holds each field: `{ date: "日期", revenue: "实收金额" }`. */
export type ImportMapping = Readonly<Record<string, string>>;

/** A mapping resolved against one file's header row: field → column index. */
export type ResolvedMapping = ReadonlyMap<string, number>;

export interface MappingProblem extends WordedProblem {
  readonly field: string;
}

/**
 * Guesses which column holds each field of `kind` from the header row: exact header names first
 * (after {@link normaliseHeader}), then headers that contain a known name, longest name first, so
 * `老客订单数` goes to returning orders and not to orders. Each column serves one field at most.
 */
export function guessMapping(kind: ImportKind, headers: readonly string[]): ImportMapping {
  const normalised = headers.map(normaliseHeader);
  const taken = new Set<number>();
  const mapping: Record<string, string> = {};
  const fields = IMPORT_FIELDS[kind];
  for (const field of fields) {
    const names = new Set(field.headers.map(normaliseHeader));
    const column = normalised.findIndex((h, i) => !taken.has(i) && h !== '' && names.has(h));
    if (column >= 0) {
      mapping[field.name] = headers[column]!;
      taken.add(column);
    }
  }
  const candidates: { field: string; column: number; length: number }[] = [];
  for (const field of fields) {
    if (mapping[field.name] !== undefined) continue;
    for (const name of field.headers.map(normaliseHeader)) {
      // Short English words (id, day) would match inside too many headers.
      if (name.length < 2 || (/^[a-z]+$/.test(name) && name.length < 4)) continue;
      normalised.forEach((h, column) => {
        if (!taken.has(column) && h.includes(name))
          candidates.push({ field: field.name, column, length: name.length });
      });
    }
  }
  candidates.sort((a, b) => b.length - a.length || a.column - b.column);
  for (const c of candidates) {
    if (mapping[c.field] !== undefined || taken.has(c.column)) continue;
    mapping[c.field] = headers[c.column]!;
    taken.add(c.column);
  }
  return mapping;
}

/** Every problem of a mapping for this header row: unknown fields, missing columns, required fields unmapped. */
export function mappingProblems(
  kind: ImportKind,
  headers: readonly string[],
  mapping: ImportMapping,
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const fields = IMPORT_FIELDS[kind];
  const used = new Map<string, string>();
  for (const [name, column] of Object.entries(mapping)) {
    if (!fields.some((f) => f.name === name)) {
      problems.push({
        field: name,
        ...worded('NOT_A_FIELD', { kind, fields: fields.map((f) => f.name).join(', ') }),
      });
      continue;
    }
    if (!headers.includes(column)) {
      problems.push({ field: name, ...worded('NO_SUCH_COLUMN', { column }) });
      continue;
    }
    const other = used.get(column);
    if (other !== undefined) problems.push({ field: name, ...worded('COLUMN_TAKEN', { column, other }) });
    used.set(column, name);
  }
  for (const field of fields) {
    if (field.required && mapping[field.name] === undefined) {
      problems.push({ field: field.name, ...worded('FIELD_REQUIRED') });
    }
  }
  if (kind === 'targets' && mapping.units === undefined && mapping.revenue === undefined) {
    problems.push({ field: 'units', ...worded('TARGET_NEEDS_AMOUNT_COLUMN') });
  }
  return problems;
}

/** Field → column index (first column with that header); call after {@link mappingProblems} is empty. */
export function resolveMapping(headers: readonly string[], mapping: ImportMapping): ResolvedMapping {
  const resolved = new Map<string, number>();
  for (const [field, column] of Object.entries(mapping)) {
    const index = headers.indexOf(column);
    if (index >= 0) resolved.set(field, index);
  }
  return resolved;
}
