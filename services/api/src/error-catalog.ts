import { ERROR_CODE_NAMES, ERROR_CODES, ERROR_KINDS } from '@tower/domain';

/** The error catalog as a Markdown table (the API README and the OpenAPI description carry it). */
export function errorCatalogTable(): string {
  const rows = ERROR_CODE_NAMES.map((code) => {
    const info = ERROR_CODES[code];
    return `| \`${code}\` | ${info.kind} | ${ERROR_KINDS[info.kind].status} | \`${info.wire}\` | ${info.description} |`;
  });
  return [
    '| code | kind | status | `error` on the wire | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
