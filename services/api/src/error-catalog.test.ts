import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogTable } from './error-catalog.js';

describe('the error catalog in the README', () => {
  it('lists every code with its kind, status and wire string, as the catalog has them', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(errorCatalogTable());
  });
});
