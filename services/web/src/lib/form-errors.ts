import type { FormInstance } from 'antd';
import { ApiError } from './api';

/** A JSON pointer of the API (`/roles/0/departmentId`) as an antd form path (`['roles', 0, 'departmentId']`). */
export function pointerToPath(pointer: string): (string | number)[] {
  return pointer
    .replace(/^\//, '')
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Shows each field the API named (400 `fields`) at that field of the form; true when it named any. */
export function showFieldErrors<V>(form: FormInstance<V>, error: unknown): boolean {
  if (!(error instanceof ApiError) || error.fields.length === 0) return false;
  const fields = error.fields.map((f) => ({ name: pointerToPath(f.field), errors: [f.message] }));
  form.setFields(fields as Parameters<FormInstance<V>['setFields']>[0]);
  return true;
}
