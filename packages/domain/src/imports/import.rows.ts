import { COMPLAINT_CATEGORIES, SEVERITIES } from '../vocabulary.js';
import {
  CATEGORY_WORDS,
  IMPORT_FIELDS,
  SEVERITY_WORDS,
  type ImportField,
  type ImportKind,
} from './import.fields.js';
import type { ResolvedMapping } from './import.mapping.js';
import { worded, type WordedProblem } from './import.problems.js';
import { parseCount, parseDay, parseInstant, parseMonth, yuanToFen, type Parsed } from './import.values.js';

/** A problem with one cell: `column` is the header as written in the file. */
export interface CellProblem extends WordedProblem {
  readonly column: string;
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

  /** What cells said, as written: exports repeat the same few names on every row. */
  private readonly seen = new Map<string, string | null | undefined>();

  /** The id `text` names; `null` when it names several, `undefined` when none. */
  find(text: string): string | null | undefined {
    if (this.seen.has(text)) return this.seen.get(text);
    const found = this.byKey.get(RefIndex.normalise(text));
    if (this.seen.size < 100_000) this.seen.set(text, found);
    return found;
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

function readRef(index: RefIndex, text: string, what: 'product' | 'branch'): Parsed<string> {
  const id = index.find(text);
  if (id === undefined)
    return {
      ok: false,
      ...worded(what === 'product' ? 'UNKNOWN_PRODUCT' : 'UNKNOWN_BRANCH', { text: text.trim() }),
    };
  if (id === null)
    return {
      ok: false,
      ...worded(what === 'product' ? 'AMBIGUOUS_PRODUCT' : 'AMBIGUOUS_BRANCH', { text: text.trim() }),
    };
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
  return {
    ok: false,
    ...worded('NOT_ONE_OF', { ids: ids.join(', '), words: Object.keys(words).join('、') }),
  };
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
        return { ok: false, ...worded('TOO_LONG', { max: field.maxLength }) };
      if (value.includes('\u0000')) return { ok: false, ...worded('HAS_NUL') };
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
      if (field.required) problems.push({ column, ...worded('EMPTY') });
      continue;
    }
    const parsed = readCell(field, text, lookups);
    if (parsed.ok) record[STORED_NAME[field.name] ?? field.name] = parsed.value;
    else
      problems.push({
        column,
        code: parsed.code,
        ...(parsed.params ? { params: parsed.params } : {}),
        message: parsed.message,
      });
  }
  if (kind === 'sales' && typeof record.returningOrders === 'number' && typeof record.orders === 'number') {
    if (record.returningOrders > record.orders) {
      const column = headers[mapping.get('returningOrders')!] ?? 'returningOrders';
      problems.push({ column, ...worded('RETURNING_EXCEEDS_ORDERS') });
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
      ...worded('TARGET_WITHOUT_AMOUNT'),
    });
  }
  return problems.length > 0 ? { record: undefined, problems } : { record, problems };
}

/** What makes two rows of a kind the same fact (the later would replace or repeat the earlier). */
function factParts(kind: ImportKind, r: ImportRecord): readonly (string | number | undefined)[] {
  switch (kind) {
    case 'sales':
      return [r.productId, r.branchId, r.date, r.channel];
    case 'complaints':
      return [r.externalId !== undefined ? `id|${r.externalId}` : JSON.stringify(r)];
    case 'competitor-prices':
      return [r.productId, r.competitor, r.observedAt, r.platform ?? ''];
    case 'targets':
      return [r.productId, r.branchId, r.month];
  }
}

const EMPTY = -1;

/**
 * Finds rows that repeat the fact of an earlier row of the same file (same product, branch, date and
 * channel for sales). Each part of a fact is interned to a small number (exports repeat the same few
 * products, branches and days), and the facts seen are kept in typed arrays of those numbers, open
 * addressing: 16-bit parts until some part needs more, so about 20 bytes a row at a million rows,
 * where a Map of string keys took several times that.
 */
export class DuplicateFinder {
  private readonly interned = new Map<string | number | undefined, number>();
  private readonly width: number;
  private capacity = 1 << 12;
  private keys: Uint16Array | Uint32Array;
  private rows: Int32Array;
  private size = 0;
  private readonly scratch: Uint32Array;

  constructor(private readonly kind: ImportKind) {
    this.width = kind === 'complaints' ? 1 : kind === 'targets' ? 3 : 4;
    this.keys = new Uint16Array(this.capacity * this.width);
    this.rows = new Int32Array(this.capacity).fill(EMPTY);
    this.scratch = new Uint32Array(this.width);
  }

  private intern(value: string | number | undefined): number {
    let n = this.interned.get(value);
    if (n === undefined) {
      n = this.interned.size;
      this.interned.set(value, n);
      // A part past 16 bits: the same keys, in 32-bit slots from now on.
      if (n === 0x10000 && this.keys instanceof Uint16Array) this.keys = Uint32Array.from(this.keys);
    }
    return n;
  }

  private slotOf(
    key: ArrayLike<number>,
    keys: Uint16Array | Uint32Array,
    rows: Int32Array,
    capacity: number,
  ): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.width; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
    const mask = capacity - 1;
    for (let slot = (h ^ (h >>> 15)) & mask; ; slot = (slot + 1) & mask) {
      if (rows[slot] === EMPTY) return slot;
      let same = true;
      for (let i = 0; i < this.width && same; i++) same = keys[slot * this.width + i] === key[i];
      if (same) return slot;
    }
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const keys =
      this.keys instanceof Uint16Array
        ? new Uint16Array(capacity * this.width)
        : new Uint32Array(capacity * this.width);
    const rows = new Int32Array(capacity).fill(EMPTY);
    for (let old = 0; old < this.capacity; old++) {
      if (this.rows[old] === EMPTY) continue;
      const key = this.keys.subarray(old * this.width, (old + 1) * this.width);
      const slot = this.slotOf(key, keys, rows, capacity);
      keys.set(key, slot * this.width);
      rows[slot] = this.rows[old]!;
    }
    this.capacity = capacity;
    this.keys = keys;
    this.rows = rows;
  }

  /** The row number of the earlier row with the same fact, or undefined (and `row` is remembered). */
  check(record: ImportRecord, row: number): number | undefined {
    const parts = factParts(this.kind, record);
    for (let i = 0; i < this.width; i++) this.scratch[i] = this.intern(parts[i]);
    const slot = this.slotOf(this.scratch, this.keys, this.rows, this.capacity);
    if (this.rows[slot] !== EMPTY) return this.rows[slot];
    this.keys.set(this.scratch, slot * this.width);
    this.rows[slot] = row;
    if (++this.size * 4 > this.capacity * 3) this.grow();
    return undefined;
  }
}
