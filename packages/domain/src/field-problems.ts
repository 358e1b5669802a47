import { fillWord, type Language, type Word } from './words.js';

/**
 * What can be wrong with one field of a request (a 400's `fields`), each in both display languages.
 * A problem travels as `{field, message, code, params}`: `message` is the English text (the API's
 * contract), `code` and `params` let a screen say it in its own language at the field; `{name}` in a
 * text is a parameter. Schema problems take their code from the validator's keyword.
 */
export const FIELD_PROBLEM_WORDS = {
  // From the request schema.
  REQUIRED: { en: 'is required', zh: '必填' },
  NOT_A_KNOWN_FIELD: { en: 'is not a known field', zh: '不是可识别的字段' },
  WRONG_TYPE: { en: 'must be {type}', zh: '必须是{type}' },
  MINIMUM: { en: 'must be >= {limit}', zh: '不能小于 {limit}' },
  EXCLUSIVE_MINIMUM: { en: 'must be > {limit}', zh: '必须大于 {limit}' },
  MAXIMUM: { en: 'must be <= {limit}', zh: '不能大于 {limit}' },
  EXCLUSIVE_MAXIMUM: { en: 'must be < {limit}', zh: '必须小于 {limit}' },
  MULTIPLE_OF: { en: 'must be a multiple of {multipleOf}', zh: '必须是 {multipleOf} 的倍数' },
  MIN_LENGTH: { en: 'must NOT have fewer than {limit} characters', zh: '至少 {limit} 个字符' },
  MAX_LENGTH: { en: 'must NOT have more than {limit} characters', zh: '最多 {limit} 个字符' },
  MIN_ITEMS: { en: 'must NOT have fewer than {limit} items', zh: '至少 {limit} 项' },
  MAX_ITEMS: { en: 'must NOT have more than {limit} items', zh: '最多 {limit} 项' },
  UNIQUE_ITEMS: { en: 'must NOT have duplicate items', zh: '不能有重复项' },
  PATTERN: { en: 'must match pattern "{pattern}"', zh: '格式不正确' },
  FORMAT: { en: 'must match format "{format}"', zh: '不是有效的{format}' },
  ONE_OF: { en: 'must be one of {allowed}', zh: '必须是以下之一：{allowed}' },
  INVALID: { en: 'is not valid', zh: '无效' },
  // From the commands.
  BLANK: { en: 'must not be blank', zh: '不能为空' },
  IN_THE_PAST: { en: 'must be in the future', zh: '必须是将来的时间' },
  NO_SUCH_BRANCH: { en: 'no such branch', zh: '没有这个院区' },
  NO_SUCH_DEPARTMENT: { en: 'no such department', zh: '没有这个科室' },
  NO_SUCH_PRODUCT: { en: 'no such product', zh: '没有这个项目' },
  EXCEEDS_ORDERS: { en: 'cannot exceed orders', zh: '不能超过订单数' },
  DEPARTMENT_REQUIRED: { en: 'a department manager needs a departmentId', zh: '科室经理须指定科室' },
  OWNER_NOT_PRODUCT_MANAGER: {
    en: 'the owner must be an active product manager',
    zh: '负责人须为在职的产品经理',
  },
  SESSIONS_ONLY_ON_CARD: { en: 'only a session_card price has sessions', zh: '只有次卡价可以填写次数' },
  FILE_NOT_CSV_OR_XLSX: { en: 'must be a .csv or .xlsx file', zh: '必须是 .csv 或 .xlsx 文件' },
  SHEET_ONLY_XLSX: { en: 'only an .xlsx file has sheets', zh: '只有 .xlsx 文件才有工作表' },
  FILE_HAS_NO_ROWS: { en: 'has no rows', zh: '文件中没有数据行' },
  TEMPLATE_EMPTY: { en: 'a template needs at least one item', zh: '模板至少需要一项' },
  TEMPLATE_ITEM_REPEATED: {
    en: 'repeats item {item} (same owner role and title)',
    zh: '与第 {item} 项重复（负责角色和名称相同）',
  },
} as const satisfies Record<string, Word>;

export type FieldProblemCode = keyof typeof FIELD_PROBLEM_WORDS;
export type FieldProblemParams = Readonly<Record<string, string | number>>;

/** One problem with one field: its JSON pointer, the English text and, where known, its code and parameters. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  readonly code?: FieldProblemCode;
  readonly params?: FieldProblemParams;
}

/** Words for the values of the schema's `type` and `format` parameters. */
const PARAM_WORDS: Readonly<Record<string, Word>> = {
  integer: { en: 'integer', zh: '整数' },
  number: { en: 'number', zh: '数字' },
  string: { en: 'string', zh: '文本' },
  boolean: { en: 'boolean', zh: '是或否' },
  array: { en: 'array', zh: '列表' },
  object: { en: 'object', zh: '对象' },
  null: { en: 'null', zh: '空值' },
  date: { en: 'date', zh: '日期（YYYY-MM-DD）' },
  'date-time': { en: 'date-time', zh: '时间' },
  email: { en: 'email', zh: '邮箱地址' },
  uri: { en: 'uri', zh: '网址' },
  url: { en: 'url', zh: '网址' },
  uuid: { en: 'uuid', zh: 'id' },
};

function paramText(name: string, value: string | number, language: Language): string {
  if (typeof value === 'number') return String(value);
  if (name !== 'type' && name !== 'format') return value;
  return value
    .split(',')
    .map((part) => PARAM_WORDS[part]?.[language] ?? part)
    .join(language === 'zh' ? '或' : ',');
}

/** A field problem in `language`; one without a known code (or of an older build) keeps its `message`. */
export function fieldProblemText(
  problem: { readonly code?: string; readonly params?: FieldProblemParams; readonly message?: string },
  language: Language,
): string {
  const word = (FIELD_PROBLEM_WORDS as Record<string, Word | undefined>)[problem.code ?? ''];
  if (!word) return problem.message ?? '';
  return fillWord(word, language, problem.params ?? {}, paramText);
}

/** A field problem with its English text filled in. */
export function fieldProblem(
  field: string,
  code: FieldProblemCode,
  params?: FieldProblemParams,
): FieldProblem {
  const worded = params ? { code, params } : { code };
  return { field, ...worded, message: fieldProblemText(worded, 'en') };
}
