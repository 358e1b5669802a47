// Fixtures the scenario tests share: a clean product sheet, sales-row builders, notification channels
// pointing at a local receiver, and the HTTP steps every lifecycle test takes. Each test file still
// starts its own API or stack (its own database); these helpers take the harness parts they need.
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '@tower/db';
import { addDays, type ChannelKind, type TaskSignal } from '@tower/domain';
import { call, type TestPerson } from './api.js';

/** A complete product sheet with no over-promise: passes the packaging gate. */
export const COMPLETE_SHEET = {
  spec: '1 ml pre-filled syringe',
  certification: 'NMPA 国械注准 20233130001',
  ingredients: 'cross-linked hyaluronic acid 20 mg/ml, lidocaine 0.3 %',
  efficacy: 'Restores volume in the mid-face for 9 to 12 months in most patients',
  targetCustomers: 'Women 28–45 with mid-face volume loss',
  sellingPoints: 'Smooth gel, lidocaine for comfort, natural result',
  comparison: 'Longer lasting than the traffic HA filler, softer than product X',
  precautions: 'Avoid heat and massage for 48 hours',
  clinicalInfo: 'Multicentre trial, n=240, 12-month follow-up',
  salesScripts: 'Explain the expected duration and the two-week review visit',
  indications: ['mid-face volume loss'],
  contraindications: ['pregnancy', 'active skin infection at the site'],
};

// --- sales ------------------------------------------------------------------------------------------

/** The list price `makeLiveProduct` gives a product, and the per-unit revenue sales rows default to. */
export const LIST_FEN = 300_000;

export interface SalesRow {
  productId: string;
  branchId: string;
  date: string;
  units: number;
  revenueFen: number;
  orders: number;
}

/** `days` daily sales rows from `from`: `units(i)` units and as many orders on day i, at `perUnitFen` each. */
export function salesRows(
  productId: string,
  branchId: string,
  from: string,
  days: number,
  units: (i: number) => number,
  perUnitFen = LIST_FEN,
): SalesRow[] {
  return Array.from({ length: days }, (_, i) => ({
    productId,
    branchId,
    date: addDays(from, i),
    units: units(i),
    revenueFen: units(i) * perUnitFen,
    orders: units(i),
  }));
}

/** Where `steadyThenDip` starts unless told otherwise. */
export const SALES_START = '2026-09-01';

/**
 * The data days on which the default `steadyThenDip` (from SALES_START, a dip to 3 a day) fires sales_dip:
 * the 7-day window is a dip from the fourth dip day (42 of 70 units, −40 %, p ≈ 0.0004; the third, −30 % at
 * p ≈ 0.008, is within noise), and a task needs it held `persistenceDays` (3) days: the sixth and seventh.
 */
export const DIP_FIRE_DAYS: readonly string[] = [addDays(SALES_START, 61), addDays(SALES_START, 62)];

/** Eight steady weeks of 10 a day from `from`, then a week of `dipUnits` (3) a day. */
export function steadyThenDip(
  productId: string,
  branchId: string,
  { from = SALES_START, dipUnits = 3 }: { from?: string; dipUnits?: number } = {},
): SalesRow[] {
  return [
    ...salesRows(productId, branchId, from, 56, () => 10),
    ...salesRows(productId, branchId, addDays(from, 56), 7, () => dipUnits),
  ];
}

/** Sends sales rows through the ingest API with an `ingest` key and expects them accepted. */
export async function ingestSales(
  app: FastifyInstance,
  ingestKey: string,
  rows: readonly SalesRow[],
): Promise<void> {
  const response = await call(app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows } });
  expect(response.status).toBe(202);
}

/** An API key with the `ingest` scope, made by `admin`. */
export async function createIngestKey(app: FastifyInstance, admin: TestPerson): Promise<string> {
  const key = await call(app, 'POST', '/api/api-keys', {
    token: admin.token,
    body: { name: 'HIS feed', scopes: ['ingest'] },
  });
  expect(key.status).toBe(201);
  return key.body.key;
}

/**
 * A product's tasks (of one signal, if given), oldest first. Under a held test clock tasks opened one
 * after another share `createdAt`; their first recorded signal (a serial id) keeps them in order.
 */
export async function tasksOf(db: Db, productId: string, signal?: TaskSignal) {
  let query = db.selectFrom('tasks').selectAll().where('productId', '=', productId);
  if (signal) query = query.where('signal', '=', signal);
  return query
    .orderBy('createdAt')
    .orderBy(sql`(select min(s.id) from signals s where s.task_id = tasks.id)`)
    .orderBy('id')
    .execute();
}

// --- people -----------------------------------------------------------------------------------------

/**
 * Adds notification channels straight to a person made by the factory: one per kind, each at
 * `${baseUrl}/${kind}/${person.id}` (a `startReceiver` URL, perhaps with a path prefix).
 */
export async function withChannels(
  db: Db,
  person: TestPerson,
  kinds: readonly ChannelKind[],
  baseUrl: string,
): Promise<TestPerson> {
  await db
    .insertInto('personChannels')
    .values(kinds.map((kind) => ({ personId: person.id, kind, url: `${baseUrl}/${kind}/${person.id}` })))
    .execute();
  return person;
}

// --- products over HTTP -----------------------------------------------------------------------------

/** Creates a product in research owned by `owner` (who sends the request) and returns its id. */
export async function createProduct(
  app: FastifyInstance,
  owner: TestPerson,
  fields: { name: string; departmentId: string; tier?: string; vendor?: string },
): Promise<string> {
  const { tier = 'profit', ...rest } = fields;
  const created = await call(app, 'POST', '/api/products', {
    token: owner.token,
    body: { ...rest, tier, ownerId: owner.id },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

/** POST /api/products/:id/events with `{ type, ...extra }`. */
export function sendEvent(
  app: FastifyInstance,
  token: string,
  productId: string,
  type: string,
  extra: Record<string, unknown> = {},
): ReturnType<typeof call> {
  return call(app, 'POST', `/api/products/${productId}/events`, { token, body: { type, ...extra } });
}

/** Three competitor prices (A, B, C around 400 000 fen): enough for the research gate. */
export async function addCompetitorPrices(app: FastifyInstance, token: string, productId: string) {
  for (const [competitor, priceFen] of [
    ['A', 380_000],
    ['B', 420_000],
    ['C', 399_000],
  ] as const) {
    const added = await call(app, 'POST', `/api/products/${productId}/competitor-prices`, {
      token,
      body: { competitor, priceFen, observedAt: '2026-10-20' },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
  }
}

/** Who completes a launch checklist item of each owner role. */
export function launchItemTokens(people: {
  owner: TestPerson;
  marketing: TestPerson;
  departmentManager: TestPerson;
  compliance: TestPerson;
}): Record<string, string> {
  return {
    product_manager: people.owner.token,
    marketing_manager: people.marketing.token,
    department_manager: people.departmentManager.token,
    compliance_officer: people.compliance.token,
  };
}
