import { COMPLAINT_CATEGORIES, SEVERITIES } from '../vocabulary.js';
import {
  CATEGORY_WORDS,
  IMPORT_FIELDS,
  SEVERITY_WORDS,
  type ImportField,
  type ImportKind,
} from './import.fields.js';
import type { ResolvedMapping } from './import.mapping.js';
import { parseCount, parseDay, parseInstant, parseMonth, yuanToFen, type Parsed } from './import.values.js';

/** A problem with one cell: `column` is the header as written in the file. */
export interface CellProblem {
  readonly column: string;
  readonly message: string;
}

/**
 * Products or branches by what exports call them: id, code or name, compared without case or
 * width. A key two of them share is ambiguous and matches neither (listed, not guessed).
 */
export class RefIndex {
  private readonly byKey = new Map<string, string | null>();

  constructor(items: readonly { id: string; code?: string | null; name: string }[]) {
    for (const item of items) {
      for (const key of [item.id, item.code, item.name]) {
        if (!key) continue;
        const normalised = RefIndex.normalise(key);
        const existing = this.byKey.get(normalised);
        this.byKey.set(normalised, existing === undefined || existing === item.id ? item.id : null);
      }
    }
  }

  static normalise(text: string): string {
    return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  }

  /** The id `text` names; `null` when it names several, `undefined` when none. */
  find(text: string): string | null | undefined {
    return this.byKey.get(RefIndex.normalise(text));
  }
}

export interface ImportLookups {
  readonly products: RefIndex;
  readonly branches: RefIndex;
}

export type ImportRecord = Readonly<Record<string, string | number>>;

export interface ConvertedRow {
  /** The row as it will be stored (field names of the ingest commands); undefined when it has problems. */
  readonly record: ImportRecord | undefined;
  readonly problems: readonly CellProblem[];
}

/** The field a record stores each import field under (money in fen, references as ids). */
const STORED_NAME: Readonly<Record<string, string>> = {
  product: 'productId',
  branch: 'branchId',
  revenue: 'revenueFen',
  price: 'priceFen',
};

function readRef(index: RefIndex, text: string, what: string): Parsed<string> {
  const id = index.find(text);
  if (id === undefined) return { ok: false, message: `no ${what} with this code or name: "${text.trim()}"` };
  if (id === null)
    return { ok: false, message: `"${text.trim()}" names more than one ${what}; use its code or id` };
  return { ok: true, value: id };
}

function readWord(
  text: string,
  ids: readonly string[],
  words: Readonly<Record<string, string>>,
): Parsed<string> {
  const trimmed = text.trim();
  const lowered = trimmed.toLowerCase();
  if (ids.includes(lowered)) return { ok: true, value: lowered };
  const word = words[trimmed];
  if (word) return { ok: true, value: word };
  return { ok: false, message: `must be one of ${ids.join(', ')} (or ${Object.keys(words).join('、')})` };
}

function readCell(field: ImportField, text: string, lookups: ImportLookups): Parsed<string | number> {
  switch (field.type) {
    case 'day':
      return parseDay(text);
    case 'instant':
      return parseInstant(text);
    case 'month':
      return parseMonth(text);
    case 'count':
      return parseCount(text);
    case 'yuan':
      return yuanToFen(text);
    case 'positive-yuan':
      return yuanToFen(text, { positive: true });
    case 'product':
      return readRef(lookups.products, text, 'product');
    case 'branch':
      return readRef(lookups.branches, text, 'branch');
    case 'category':
      return readWord(text, COMPLAINT_CATEGORIES, CATEGORY_WORDS);
    case 'severity':
      return readWord(text, SEVERITIES, SEVERITY_WORDS);
    case 'text': {
      const value = text.trim();
      if (field.maxLength !== undefined && value.length > field.maxLength)
        return { ok: false, message: `is longer than ${field.maxLength} characters` };
      if (value.includes('\u0000')) return { ok: false, message: 'must not contain NUL characters' };
      return { ok: true, value };
    }
  }
}

/**
 * One data row of a file → the record the ingest command of `kind` takes, or every problem of the
 * row by column. Empty optional cells are left out; empty required cells are problems.
 */
export function convertRow(
  kind: ImportKind,
  headers: readonly string[],
  cells: readonly string[],
  mapping: ResolvedMapping,
  lookups: ImportLookups,
): ConvertedRow {
  const problems: CellProblem[] = [];
  const record: Record<string, string | number> = {};
  for (const field of IMPORT_FIELDS[kind]) {
    const index = mapping.get(field.name);
    if (index === undefined) continue;
    const column = headers[index] ?? field.name;
    const text = cells[index] ?? '';
    if (text.trim() === '') {
      if (field.required) problems.push({ column, message: 'is empty' });
      continue;
    }
    const parsed = readCell(field, text, lookups);
    if (parsed.ok) record[STORED_NAME[field.name] ?? field.name] = parsed.value;
    else problems.push({ column, message: parsed.message });
  }
  if (kind === 'sales' && typeof record.returningOrders === 'number' && typeof record.orders === 'number') {
    if (record.returningOrders > record.orders) {
      const column = headers[mapping.get('returningOrders')!] ?? 'returningOrders';
      problems.push({ column, message: 'returning orders cannot exceed orders' });
    }
  }
  if (
    kind === 'targets' &&
    problems.length === 0 &&
    record.units === undefined &&
    record.revenueFen === undefined
  ) {
    problems.push({
      column: headers[mapping.get('units') ?? mapping.get('revenue') ?? 0] ?? 'units',
      message: 'give units or revenue',
    });
  }
  return problems.length > 0 ? { record: undefined, problems } : { record, problems };
}

/** What makes two rows of a kind the same fact (the later would replace or repeat the earlier). */
function factKey(
  kind: ImportKind,
  r: ImportRecord,
  intern: (s: string | number | undefined) => number,
): string {
  switch (kind) {
    case 'sales':
      return `${intern(r.productId)}|${intern(r.branchId)}|${r.date}|${intern(r.channel)}`;
    case 'complaints':
      return r.externalId !== undefined ? `id|${r.externalId}` : JSON.stringify(r);
    case 'competitor-prices':
      return `${intern(r.productId)}|${r.competitor}|${r.observedAt}|${r.platform ?? ''}`;
    case 'targets':
      return `${intern(r.productId)}|${intern(r.branchId)}|${r.month}`;
  }
}

/**
 * Finds rows that repeat the fact of an earlier row of the same file (same product, branch, date and
 * channel for sales). Keys are kept compact (ids interned to small numbers) so a million rows fit.
 */
export class DuplicateFinder {
  private readonly firstRow = new Map<string, number>();
  private readonly interned = new Map<string | number | undefined, number>();

  constructor(private readonly kind: ImportKind) {}

  private readonly intern = (value: string | number | undefined): number => {
    let n = this.interned.get(value);
    if (n === undefined) {
      n = this.interned.size;
      this.interned.set(value, n);
    }
    return n;
  };

  /** The row number of the earlier row with the same fact, or undefined (and `row` is remembered). */
  check(record: ImportRecord, row: number): number | undefined {
    const key = factKey(this.kind, record, this.intern);
    const first = this.firstRow.get(key);
    if (first !== undefined) return first;
    this.firstRow.set(key, row);
    return undefined;
  }
}
