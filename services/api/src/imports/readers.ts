import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError, detectTextEncoding } from '@tower/domain';
import type { UploadedRow } from '@tower/engine';

/** What was read of the file, known once its rows are exhausted. */
export interface FileFacts {
  size: number;
  sha256: string;
  encoding: string | null;
}

/**
 * Counts and hashes the bytes of an upload as they pass; refuses the file with 413 as soon as it
 * is longer than `maxBytes` (the multipart parser marks it truncated).
 */
export class TappedFile {
  private readonly hash = createHash('sha256');
  size = 0;
  encoding: string | null = null;

  constructor(
    private readonly file: Readable & { truncated?: boolean },
    private readonly maxBytes: number,
  ) {}

  private tooLarge(): AppError {
    return new AppError(
      'IMPORT_TOO_LARGE',
      `The file is larger than ${this.maxBytes} bytes (IMPORT_MAX_BYTES).`,
      { maxBytes: this.maxBytes },
    );
  }

  async *chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of this.file as AsyncIterable<Buffer>) {
      this.size += chunk.length;
      if (this.file.truncated || this.size > this.maxBytes) throw this.tooLarge();
      this.hash.update(chunk);
      yield chunk;
    }
    if (this.file.truncated) throw this.tooLarge();
  }

  facts(): FileFacts {
    return { size: this.size, sha256: this.hash.digest('hex'), encoding: this.encoding };
  }
}

/** Bytes looked at to tell UTF-8 from GB18030 and to find the delimiter. */
const SNIFF_BYTES = 64 * 1024;

function delimiterOf(firstLine: string): string {
  const counts = [',', '\t', ';'].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ',';
}

/**
 * Rows of a CSV file: UTF-8 with or without a BOM, or GBK/GB18030 (decided on the first 64 KiB),
 * comma-, tab- or semicolon-separated (decided on the header line); RFC 4180 quoting.
 */
export async function* csvRows(tapped: TappedFile): AsyncGenerator<UploadedRow> {
  const source = tapped.chunks();
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headLength += next.value.length;
  }
  const sample = Buffer.concat(head);
  const detected = detectTextEncoding(sample);
  tapped.encoding = detected.bomLength > 0 ? 'utf-8-bom' : detected.encoding;
  const decoder = iconv.getDecoder(detected.encoding, { stripBOM: true });
  const firstText = decoder.write(sample);
  const delimiter = delimiterOf(firstText.split(/\r?\n/, 1)[0] ?? '');

  async function* text(): AsyncGenerator<string> {
    if (firstText) yield firstText;
    if (!done) {
      for await (const chunk of source) {
        const decoded = decoder.write(chunk);
        if (decoded) yield decoded;
      }
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }

  const parser = Readable.from(text()).pipe(
    parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }),
  );
  let rowNo = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNo++;
      yield { rowNo, cells: record };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof AppError) throw cause;
    throw new AppError('IMPORT_UNREADABLE', `The CSV file cannot be read after row ${rowNo}.`, {
      fields: [{ field: 'file', message: (error as Error).message }],
    });
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A cell of an exceljs row as the text a person would see (dates as days; formulas as results). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    // exceljs turns a date cell's serial into a Date at UTC: its UTC fields are the wall-clock time.
    if (Number.isNaN(value.getTime())) return '';
    const day = value.toISOString().slice(0, 10);
    const [h, m, s] = [value.getUTCHours(), value.getUTCMinutes(), value.getUTCSeconds()];
    return h === 0 && m === 0 && s === 0 ? day : `${day} ${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    return '';
  }
  return '';
}

/**
 * Rows of one sheet of an .xlsx file (the first, or the one named `sheet`), streamed with exceljs's
 * WorkbookReader: rows are read as the zip inflates, never the whole workbook at once.
 */
export async function* xlsxRows(tapped: TappedFile, sheet: string | undefined): AsyncGenerator<UploadedRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(tapped.chunks()), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  const seen: string[] = [];
  let found = false;
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name: string }).name;
      seen.push(name);
      if (found || (sheet !== undefined && name !== sheet)) {
        // A sheet not read is still drained: exceljs may have parked it in a temp file, which it
        // deletes as soon as we ask for the next sheet — while the file's read stream may still be
        // opening it (an uncaught ENOENT). Draining also lets the whole file pass the tap (size, hash).
        for await (const _row of worksheet) continue;
        continue;
      }
      found = true;
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield { rowNo: row.number, cells };
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('IMPORT_UNREADABLE', 'The file is not a readable .xlsx workbook.', {
      fields: [{ field: 'file', message: (error as Error).message }],
    });
  }
  if (!found) {
    throw new AppError(
      'IMPORT_SHEET_NOT_FOUND',
      sheet === undefined ? 'The workbook has no sheet.' : `The workbook has no sheet "${sheet}".`,
      { fields: [{ field: 'sheet', message: `no such sheet; the workbook has: ${seen.join(', ')}` }] },
    );
  }
}
