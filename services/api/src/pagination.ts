import { AppError } from '@tower/domain';

/** Cursors are opaque to clients: base64url of the last id of the previous page. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new AppError('PAGE_CURSOR_INVALID', 'The cursor is not one this API gave out.', {
      fields: [{ field: '/cursor', message: 'invalid cursor' }],
    });
  }
  return id;
}

export function page<T extends { id: string }>(
  items: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const last = items.length === limit ? items[items.length - 1] : undefined;
  return { items, nextCursor: last ? Buffer.from(last.id, 'utf8').toString('base64url') : null };
}

/** One page of a list route: decodes `cursor`, fetches `limit` items after it, encodes the next cursor. */
export async function paged<T extends { id: string }>(
  query: { cursor?: string; limit: number },
  fetch: (window: { after?: string; limit: number }) => Promise<T[]>,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor);
  return page(await fetch({ ...(after ? { after } : {}), limit: query.limit }), query.limit);
}
