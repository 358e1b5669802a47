import type { Migration, MigrationProvider } from 'kysely';
import * as spine from './0001-spine.js';
import * as signals from './0002-signals.js';
import * as outboxNotify from './0003-outbox-notify.js';
import * as launchChecklists from './0006-launch-checklists.js';
import * as house from './0010-house.js';

/** Every migration, in order; in code so that vitest and tsx load them alike (STACK.md trap 4). */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-spine': spine,
  '0002-signals': signals,
  '0003-outbox-notify': outboxNotify,
  '0006-launch-checklists': launchChecklists,
  '0010-house': house,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};
