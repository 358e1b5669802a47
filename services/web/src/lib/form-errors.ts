import type { FormInstance } from 'antd';
import { fieldProblemText, type DisplayLocale } from '@tower/domain';
import { ApiError, type ApiFieldProblem } from './api';

/** A JSON pointer of the API (`/roles/0/departmentId`) as an antd form path (`['roles', 0, 'departmentId']`). */
export function pointerToPath(pointer: string): (string | number)[] {
  return pointer
    .replace(/^\//, '')
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** What the API says is wrong with a field, in the person's language (its English text for an unknown code). */
export function fieldProblemWords(problem: ApiFieldProblem, locale: DisplayLocale): string {
  return fieldProblemText(problem, locale === 'zh-CN' ? 'zh' : 'en');
}

/**
 * Shows each field the API named (400 `fields`) at that field of the form, in the person's words; `toField`
 * maps an API path to the form's where they differ. True when the API named any.
 */
export function showFieldErrors<V>(
  form: FormInstance<V>,
  error: unknown,
  locale: DisplayLocale,
  toField: (path: (string | number)[]) => (string | number)[] = (path) => path,
): boolean {
  if (!(error instanceof ApiError) || error.fields.length === 0) return false;
  const fields = error.fields.map((f) => ({
    name: toField(pointerToPath(f.field)),
    errors: [fieldProblemWords(f, locale)],
  }));
  form.setFields(fields as Parameters<FormInstance<V>['setFields']>[0]);
  return true;
}
