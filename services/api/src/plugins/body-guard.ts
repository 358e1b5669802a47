import type { FastifyInstance } from 'fastify';
import { AppError, type FieldProblemCode, type FieldProblemParams } from '@tower/domain';

/** How deep a JSON body may nest (objects and arrays); our deepest schema needs 4. */
export const MAX_BODY_DEPTH = 32;

/** Problems named in a 400; the rest are counted (`moreProblems`). */
export const MAX_PROBLEMS_NAMED = 100;

/** One failing field of a 400 (`code` and `params` from the domain's FIELD_PROBLEM_WORDS, where known). */
export interface FieldProblem {
  field: string;
  message: string;
  code?: FieldProblemCode;
  params?: FieldProblemParams;
}

// Postgres text cannot hold NUL and jsonb refuses lone surrogates; both are valid JSON strings.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Any surrogate: most strings hold none, and one test of a character class says so. */
const SURROGATE = /[\ud800-\udfff]/;

function hasUnstorable(value: string): boolean {
  return value.includes('\u0000') || (SURROGATE.test(value) && UNPAIRED_SURROGATE.test(value));
}

export type BodyVerdict =
  | { kind: 'ok' }
  | { kind: 'too_deep'; field: string }
  | { kind: 'too_many_items'; field: string; items: number }
  | { kind: 'unstorable'; fields: FieldProblem[]; more: number };

/** An object or array on the walk's stack; its path is put together only when a problem names it. */
interface Visit {
  readonly value: object;
  readonly parent: Visit | undefined;
  readonly key: string;
  readonly depth: number;
  /** The object's keys (undefined for an array). */
  readonly keys: readonly string[] | undefined;
  /** The next child to walk. */
  next: number;
}

function pathOf(visit: Visit | undefined, key?: string): string {
  const keys: string[] = key === undefined ? [] : [key];
  for (let at = visit; at?.parent !== undefined; at = at.parent) keys.push(at.key);
  return keys.length === 0 ? '' : `/${keys.reverse().join('/')}`;
}

/** The top-level field a value sits under ('' for the body itself). */
function topLevelKey(visit: Visit): string {
  let at = visit;
  while (at.parent?.parent !== undefined) at = at.parent;
  return at.parent === undefined ? '' : at.key;
}

/**
 * Walks a parsed JSON body in document order with an explicit stack (no recursion, so nesting cannot
 * overflow the call stack): refuses nesting deeper than `maxDepth`, arrays longer than `maxItems`, and
 * strings Postgres cannot store (the first MAX_PROBLEMS_NAMED named, the rest counted). Linear in the
 * body's size; only objects and arrays go on the stack, as a body of thousands of rows holds many times
 * more strings and numbers than objects.
 */
export function inspectBody(body: unknown, limits: { maxDepth: number; maxItems: number }): BodyVerdict {
  const fields: FieldProblem[] = [];
  let more = 0;
  const problem = (field: string, message: string) => {
    if (fields.length < MAX_PROBLEMS_NAMED) fields.push({ field: field || '/', message });
    else more++;
  };
  const stack: Visit[] = [];
  /** Checks a string, or puts an object on the stack; a problem with it is named when found. */
  const enter = (value: unknown, parent: Visit | undefined, key: string): BodyVerdict | undefined => {
    if (typeof value === 'string') {
      if (hasUnstorable(value))
        problem(
          pathOf(parent, parent ? key : undefined),
          'must not contain NUL or unpaired surrogate characters',
        );
      return undefined;
    }
    if (typeof value !== 'object' || value === null) return undefined;
    const visit: Visit = {
      value,
      parent,
      key,
      depth: parent ? parent.depth + 1 : 0,
      keys: Array.isArray(value) ? undefined : Object.keys(value),
      next: 0,
    };
    // Named by its top-level field: the full path of the deepest point would be as long as the body.
    if (visit.depth >= limits.maxDepth) return { kind: 'too_deep', field: `/${topLevelKey(visit)}` };
    if (Array.isArray(value) && value.length > limits.maxItems)
      return { kind: 'too_many_items', field: pathOf(visit) || '/', items: value.length };
    for (const name of visit.keys ?? []) {
      if (hasUnstorable(name))
        problem(`${pathOf(visit)}/${name}`, 'names a field with NUL or unpaired surrogates');
    }
    stack.push(visit);
    return undefined;
  };
  const refused = enter(body, undefined, '');
  if (refused) return refused;
  while (stack.length > 0) {
    const visit = stack[stack.length - 1]!;
    const { value, keys } = visit;
    const count = keys ? keys.length : (value as unknown[]).length;
    if (visit.next === count) {
      stack.pop();
      continue;
    }
    const at = visit.next++;
    const key = keys ? keys[at]! : String(at);
    const verdict = enter(
      keys ? (value as Record<string, unknown>)[key] : (value as unknown[])[at],
      visit,
      key,
    );
    if (verdict) return verdict;
  }
  return fields.length > 0 ? { kind: 'unstorable', fields, more } : { kind: 'ok' };
}

/** The message of a 400 naming `fields` (and how many more there were). */
export function problemsMessage(fields: readonly FieldProblem[], more: number): string {
  const named = fields.map((f) => `${f.field} ${f.message}`).join('; ');
  return `The request is not valid: ${named}${more > 0 ? `; and ${more} more problems` : ''}.`;
}

/**
 * Every body is inspected before validation, on every route (those without a body schema too):
 * too deep → 400, an array over `maxItems` → 413, unstorable strings → 400 naming them.
 */
export function installBodyGuard(app: FastifyInstance, options: { maxItems: number }): void {
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) return;
    const verdict = inspectBody(request.body, { maxDepth: MAX_BODY_DEPTH, maxItems: options.maxItems });
    switch (verdict.kind) {
      case 'ok':
        return;
      case 'too_deep':
        throw new AppError(
          'BODY_TOO_DEEP',
          `The request body nests deeper than ${MAX_BODY_DEPTH} levels (at ${verdict.field}).`,
          { fields: [{ field: verdict.field, message: `nests deeper than ${MAX_BODY_DEPTH} levels` }] },
        );
      case 'too_many_items':
        throw new AppError(
          'INGEST_TOO_MANY_ROWS',
          `At most ${options.maxItems} items per list (${verdict.field} has ${verdict.items}); send the rest in another request.`,
          { field: verdict.field, maxRows: options.maxItems, rows: verdict.items },
        );
      case 'unstorable':
        throw new AppError('INVALID_INPUT', problemsMessage(verdict.fields, verdict.more), {
          fields: verdict.fields,
          ...(verdict.more > 0 ? { moreProblems: verdict.more } : {}),
        });
      default: {
        const never: never = verdict;
        return never;
      }
    }
  });
}
