import { fillWord, type Language, type Word } from '../words.js';
import { FIELD_PROBLEM_WORDS, fieldProblemText } from '../field-problems.js';
import { IMPORT_FIELD_WORDS, IMPORT_KIND_WORDS } from './import.words.js';

/**
 * What can be wrong with a cell of an import or with its column mapping, each in both display
 * languages. A problem travels as its code and parameters; `{name}` in a text is a parameter. The
 * API's `message` is the English text (its contract); the dashboard shows the text of its language.
 */
export const IMPORT_PROBLEM_WORDS = {
  EMPTY: { en: 'is empty', zh: '为空' },
  DAY_OUT_OF_RANGE: {
    en: 'is not a calendar day from {from} to {to}',
    zh: '不是 {from} 至 {to} 年之间的真实日期',
  },
  TIME_INVALID: { en: 'has a time of day that does not exist', zh: '时间不存在' },
  DAY_UNREADABLE: {
    en: 'is not a date (2026-11-03, 2026/11/3, 2026年11月3日 or an Excel date)',
    zh: '不是日期（可写 2026-11-03、2026/11/3、2026年11月3日 或 Excel 日期）',
  },
  INSTANT_INVALID: { en: 'is not a valid timestamp', zh: '不是有效的时间' },
  MONTH_UNREADABLE: {
    en: 'is not a month (2026-11, 2026/11 or 2026年11月)',
    zh: '不是月份（可写 2026-11、2026/11 或 2026年11月）',
  },
  NEGATIVE: { en: 'must not be negative', zh: '不能为负数' },
  NOT_YUAN: { en: 'is not an amount in yuan', zh: '不是以元为单位的金额' },
  TOO_MANY_DECIMALS: {
    en: 'has more than 2 decimals (fen is the smallest unit)',
    zh: '小数超过两位（最小单位是分）',
  },
  YUAN_TOO_LARGE: { en: 'is more than 1,000,000,000 yuan', zh: '超过 10 亿元' },
  NOT_POSITIVE: { en: 'must be more than 0', zh: '必须大于 0' },
  NOT_WHOLE: { en: 'is not a whole number', zh: '不是整数' },
  COUNT_TOO_LARGE: { en: 'is more than {max}', zh: '超过 {max}' },
  UNKNOWN_PRODUCT: {
    en: 'no product with this code or name: "{text}"',
    zh: '没有编码或名称为“{text}”的项目',
  },
  UNKNOWN_BRANCH: { en: 'no branch with this code or name: "{text}"', zh: '没有编码或名称为“{text}”的院区' },
  AMBIGUOUS_PRODUCT: {
    en: '"{text}" names more than one product; use its code or id',
    zh: '“{text}”对应多个项目，请改用编码或 id',
  },
  AMBIGUOUS_BRANCH: {
    en: '"{text}" names more than one branch; use its code or id',
    zh: '“{text}”对应多个院区，请改用编码或 id',
  },
  NOT_ONE_OF: { en: 'must be one of {ids} (or {words})', zh: '必须是 {words}（或 {ids}）之一' },
  TOO_LONG: { en: 'is longer than {max} characters', zh: '超过 {max} 个字符' },
  HAS_NUL: { en: 'must not contain NUL characters', zh: '不能包含 NUL 字符' },
  RETURNING_EXCEEDS_ORDERS: { en: 'returning orders cannot exceed orders', zh: '老客订单数不能超过订单数' },
  TARGET_WITHOUT_AMOUNT: { en: 'give units or revenue', zh: '请填写数量或金额' },
  DUPLICATE_SALES: {
    en: 'repeats row {row} (same product, branch, date and channel)',
    zh: '与第 {row} 行重复（项目、院区、日期和渠道相同）',
  },
  DUPLICATE_COMPLAINTS: { en: 'repeats row {row} (same complaint)', zh: '与第 {row} 行重复（同一条投诉）' },
  'DUPLICATE_COMPETITOR-PRICES': {
    en: 'repeats row {row} (same product, competitor, date and platform)',
    zh: '与第 {row} 行重复（项目、竞品、日期和平台相同）',
  },
  DUPLICATE_TARGETS: {
    en: 'repeats row {row} (same product, branch and month)',
    zh: '与第 {row} 行重复（项目、院区和月份相同）',
  },
  // The column mapping.
  NOT_A_FIELD: {
    en: 'is not a field of {kind} imports (fields: {fields})',
    zh: '不是{kind}导入的字段（可用字段：{fields}）',
  },
  // Rows the ingest command refused at commit (checked again against the facts stored by then).
  NOT_YOUR_PRODUCT: {
    en: 'you may not record facts about this product',
    zh: '您无权记录该项目的数据',
  },
  NO_SUCH_COLUMN: {
    en: 'names column "{column}", which the file does not have',
    zh: '指定的列“{column}”在文件中不存在',
  },
  COLUMN_TAKEN: {
    en: 'uses column "{column}", already used by {other}',
    zh: '使用的列“{column}”已被 {other} 占用',
  },
  FIELD_REQUIRED: { en: 'is required: name the column that holds it', zh: '必填：请选择对应的列' },
  TARGET_NEEDS_AMOUNT_COLUMN: {
    en: 'a target needs a units or a revenue column',
    zh: '目标需要数量列或金额列',
  },
} as const satisfies Record<string, Word>;

export type ImportProblemCode = keyof typeof IMPORT_PROBLEM_WORDS;
export type ProblemParams = Readonly<Record<string, string | number>>;

/** A problem as it travels: its code, its parameters, and its English text. */
export interface WordedProblem {
  readonly code: ImportProblemCode;
  readonly params?: ProblemParams;
  readonly message: string;
}

/** The text of a problem in `language`; an unknown code (a stored problem of an older build) keeps `fallback`. */
export function problemText(
  problem: { readonly code?: string; readonly params?: ProblemParams; readonly message?: string },
  language: Language,
): string {
  const word = (IMPORT_PROBLEM_WORDS as Record<string, Word | undefined>)[problem.code ?? ''];
  if (!word) return problem.message ?? '';
  return fillWord(word, language, problem.params ?? {}, (name, value, lang) =>
    paramText(name, String(value), lang),
  );
}

const wordOf = (table: Readonly<Record<string, Word>>, id: string, language: Language) =>
  Object.hasOwn(table, id) ? table[id]![language] : id;

/** A kind is named by its word; a list of fields by their words in Chinese (English keeps the mapping's ids). */
function paramText(name: string, value: string, language: Language): string {
  if (name === 'kind') return wordOf(IMPORT_KIND_WORDS, value, language);
  if (name === 'fields' && language === 'zh') {
    return value
      .split(', ')
      .map((id) => wordOf(IMPORT_FIELD_WORDS, id, language))
      .join('、');
  }
  return value;
}

/** One problem of a refused row as stored: the column it is in (a header, or a field of the kind). */
export interface RefusedProblem {
  readonly column: string;
  readonly code?: string;
  readonly params?: ProblemParams;
  readonly message: string;
}

/** A refused row's problems as stored with it (JSON), so that each language can word them later. */
export function refusedProblemsLine(problems: readonly RefusedProblem[]): string {
  return JSON.stringify(
    problems.map((p) => ({
      column: p.column,
      ...(p.code === undefined ? {} : { code: p.code }),
      ...(p.params === undefined ? {} : { params: p.params }),
      message: p.message,
    })),
  );
}

/**
 * A refused row's problems in `language`, `column: text; …`; `columnName` names a column (a field of the
 * kind by the file's header). A line stored by an older build (plain English text) is shown as it is.
 */
export function refusedProblemsText(
  stored: string,
  language: Language,
  columnName: (column: string) => string = (column) => column,
): string {
  let problems: unknown;
  try {
    problems = JSON.parse(stored);
  } catch {
    return stored;
  }
  if (!Array.isArray(problems)) return stored;
  return problems
    .map((p: RefusedProblem) => {
      // Cell problems are the import's words; what the ingest command refused at commit, a field's.
      const text =
        p.code !== undefined && Object.hasOwn(FIELD_PROBLEM_WORDS, p.code)
          ? fieldProblemText(p, language)
          : problemText(p, language);
      const column = columnName(p.column);
      return column ? `${column}${language === 'zh' ? '：' : ': '}${text}` : text;
    })
    .join(language === 'zh' ? '；' : '; ');
}

/** A problem with its English text filled in. */
export function worded(code: ImportProblemCode, params?: ProblemParams): WordedProblem {
  const problem = params ? { code, params } : { code };
  return { ...problem, message: problemText(problem, 'en') };
}
