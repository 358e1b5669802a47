import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export const OUTBOX_CHANNEL = 'tower_outbox';

export interface OutboxListener {
  close(): Promise<void>;
}

/**
 * Calls `onRows` whenever a transaction that wrote outbox rows commits (LISTEN on a connection of
 * its own). If the connection drops it reconnects, and calls `onRows` once on reconnecting since
 * notifications may have been missed meanwhile. The relay keeps polling too: this only makes it prompt.
 */
export async function listenForOutbox(
  databaseUrl: string,
  onRows: () => void,
  onError: (error: unknown) => void = () => {},
): Promise<OutboxListener> {
  let client: pg.Client | undefined;
  let closed = false;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'tower-outbox-listener' });
    next.on('notification', () => onRows());
    next.on('error', (error) => {
      onError(error);
      void reconnect();
    });
    await next.connect();
    await next.query(`listen ${OUTBOX_CHANNEL}`);
    client = next;
  };

  let reconnecting = false;
  const reconnect = async (): Promise<void> => {
    if (reconnecting || closed) return;
    reconnecting = true;
    const old = client;
    client = undefined;
    await old?.end().catch(() => {});
    for (let delayMs = 100; !closed; delayMs = Math.min(delayMs * 2, 5000)) {
      try {
        await connect();
        onRows();
        break;
      } catch (error) {
        onError(error);
        await sleep(delayMs);
      }
    }
    reconnecting = false;
  };

  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
