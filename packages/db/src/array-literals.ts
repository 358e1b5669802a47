/**
 * Postgres array literals built in one join, for the column arrays of bulk statements (a parameter
 * cast to an array type: `${textArray(ids)}::uuid[]`). The driver builds the same text element by
 * element, escaping each; a batch of thousands of rows spent a good part of the API's time there.
 */

/**
 * `{"a","b"}`: every element quoted, so commas and braces in one stay in it; only when an element holds
 * a quote or a backslash is each escaped in turn.
 */
export function textArray(values: readonly string[]): string {
  const plain = values.join('');
  if (!plain.includes('"') && !plain.includes('\\'))
    return values.length === 0 ? '{}' : `{"${values.join('","')}"}`;
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * `{1,2}`. A value that is not a finite integer is refused here: joined, it would read as another
 * number or as none.
 */
export function integerArray(values: readonly number[]): string {
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new TypeError(`Not an integer for an integer array: ${String(v)}`);
  }
  return `{${values.join(',')}}`;
}

/**
 * A column of few distinct values (the products, branches, days or channels of a batch of rows): the
 * distinct values as a text array literal, and each row's 1-based position among them as an integer
 * array literal, read back as `(distinct::uuid[])[position]`. Postgres then parses a few hundred ids
 * instead of one per row, and the statement is a fraction of the size.
 */
export function dictionaryColumn(values: readonly string[]): { distinct: string; positions: string } {
  const positionOf = new Map<string, number>();
  const positions = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let position = positionOf.get(value);
    if (position === undefined) positionOf.set(value, (position = positionOf.size + 1));
    positions[i] = position;
  }
  return { distinct: textArray([...positionOf.keys()]), positions: `{${positions.join(',')}}` };
}
