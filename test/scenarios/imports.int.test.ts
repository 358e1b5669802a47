import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemText } from '@tower/domain';
import { call, makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import { multipartBody } from '../support/multipart.js';
import { eventually, makeLiveProduct, startStack, type StackHarness } from '../support/stack.js';

let h: StackHarness;
let manager: TestPerson;
let otherManager: TestPerson;
let compliance: TestPerson;
let thermage: string;
let hydra: string;
let jingan: string;
let pudong: string;

beforeAll(async () => {
  h = await startStack({ IMPORT_MAX_BYTES: String(64 * 1024), IMPORT_BATCH_ROWS: '3' });
  const departmentId = (await makeDepartment(h.db, 'skin')).id;
  jingan = (
    await h.db
      .insertInto('branches')
      .values({ code: 'SH01', name: '上海静安院区' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  pudong = (await makeBranch(h.db, 'SH02')).id;
  manager = await makePerson(h.db, [{ role: 'product_manager' }]);
  otherManager = await makePerson(h.db, [{ role: 'product_manager' }]);
  compliance = await makePerson(h.db, [{ role: 'compliance_officer' }]);
  thermage = await makeLiveProduct(h.db, { departmentId, ownerId: manager.id, name: '热玛吉 FLX' });
  hydra = await makeLiveProduct(h.db, { departmentId, ownerId: manager.id, name: '水光针' });
});

afterAll(async () => {
  await h?.close();
});

async function upload(
  token: string,
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string; field?: string },
) {
  const { payload, headers } = multipartBody(fields, file);
  const raw = await h.app.inject({
    method: 'POST',
    url: '/api/imports',
    headers: { ...headers, authorization: `Bearer ${token}` },
    payload,
  });
  return { status: raw.statusCode, body: raw.json() };
}

async function committed(id: string, token = manager.token) {
  const started = await call(h.app, 'POST', `/api/imports/${id}/commit`, { token });
  expect(started.status).toBe(202);
  expect(started.body.status).toBe('committing');
  return eventually('the import to be committed', async () => {
    await h.worker.relayNow();
    const got = await call(h.app, 'GET', `/api/imports/${id}`, { token });
    return got.body.status === 'done' || got.body.status === 'failed' ? got.body : undefined;
  });
}

async function salesOf(productId: string) {
  return h.db
    .selectFrom('salesDaily')
    .select(['date', 'branchId', 'units', 'revenueFen', 'orders', 'returningOrders'])
    .where('productId', '=', productId)
    .orderBy('date')
    .orderBy('branchId')
    .execute();
}

/** A workbook written with exceljs: a cover sheet first, the sales on the sheet named 销售. */
async function salesWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('说明').addRow(['本表由收银系统导出']);
  const sheet = workbook.addWorksheet('销售');
  sheet.addRow(['日期', '院区', '项目名称', '数量', '实收金额(元)', '订单数', '老客订单数']);
  sheet.addRow(['2026/11/3', 'SH01', '热玛吉 FLX', 2, 39_601.5, 2, 1]); // row 2
  sheet.addRow(['2026-11-04', '上海静安院区', '热玛吉 FLX', 1, '19,800.05', 1, 0]); // row 3
  sheet.addRow(['2026年11月5日', 'sh01', '热玛吉 flx', 3, '59400', 3, 2]); // row 4
  sheet.addRow([46_332, 'SH01', '热玛吉 FLX', 1, 0.29, 1, 0]); // row 5: Excel serial 46332 = 2026-11-06
  sheet.addRow([new Date(Date.UTC(2026, 10, 7)), 'SH02', '水光针', 4, 3_960.1, 4, 1]); // row 6: a date cell
  sheet.addRow(['2026-11-07', 'SH02', '超声炮', 1, 100, 1, 0]); // row 7: unknown product
  sheet.addRow(['2026-11-04', 'SH01', '热玛吉 FLX', 9, 1, 9, 0]); // row 8: repeats row 3
  sheet.addRow([]); // an empty row is skipped
  sheet.addRow(['2026-11-08', 'SH01', '水光针', 2, '1.005', 1, 3]); // row 10: two problems
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('importing a sales workbook', () => {
  let id: string;
  let workbook: Buffer;

  it('previews the named sheet: mapping guessed, rows as they will be stored, every problem by row and column', async () => {
    workbook = await salesWorkbook();
    const res = await upload(
      manager.token,
      { kind: 'sales', sheet: '销售' },
      { name: 'sales.xlsx', content: workbook },
    );
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(res.body).toMatchObject({
      status: 'preview',
      kind: 'sales',
      sheet: '销售',
      fileName: 'sales.xlsx',
      rowsTotal: 8,
      rowsWithProblems: 3,
      mappingProblems: [],
      mapping: {
        date: '日期',
        branch: '院区',
        product: '项目名称',
        units: '数量',
        revenue: '实收金额(元)',
        orders: '订单数',
        returningOrders: '老客订单数',
      },
    });
    expect(res.body.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = res.body.preview.map((p: { row: number; record: unknown }) => [p.row, p.record]);
    expect(stored.slice(0, 5)).toEqual([
      [
        2,
        {
          date: '2026-11-03',
          branchId: jingan,
          productId: thermage,
          units: 2,
          revenueFen: 3_960_150,
          orders: 2,
          returningOrders: 1,
        },
      ],
      [
        3,
        {
          date: '2026-11-04',
          branchId: jingan,
          productId: thermage,
          units: 1,
          revenueFen: 1_980_005,
          orders: 1,
          returningOrders: 0,
        },
      ],
      [
        4,
        {
          date: '2026-11-05',
          branchId: jingan,
          productId: thermage,
          units: 3,
          revenueFen: 5_940_000,
          orders: 3,
          returningOrders: 2,
        },
      ],
      [
        5,
        {
          date: '2026-11-06',
          branchId: jingan,
          productId: thermage,
          units: 1,
          revenueFen: 29,
          orders: 1,
          returningOrders: 0,
        },
      ],
      [
        6,
        {
          date: '2026-11-07',
          branchId: pudong,
          productId: hydra,
          units: 4,
          revenueFen: 396_010,
          orders: 4,
          returningOrders: 1,
        },
      ],
    ]);
    expect(res.body.problems).toEqual([
      {
        row: 7,
        column: '项目名称',
        code: 'UNKNOWN_PRODUCT',
        params: { text: '超声炮' },
        message: 'no product with this code or name: "超声炮"',
      },
      {
        row: 8,
        column: '项目名称',
        code: 'DUPLICATE_SALES',
        params: { row: 3 },
        message: 'repeats row 3 (same product, branch, date and channel)',
      },
      {
        row: 10,
        column: '实收金额(元)',
        code: 'TOO_MANY_DECIMALS',
        message: 'has more than 2 decimals (fen is the smallest unit)',
      },
      {
        row: 10,
        column: '老客订单数',
        code: 'RETURNING_EXCEEDS_ORDERS',
        message: 'returning orders cannot exceed orders',
      },
    ]);
    // the same problems in the dashboard's Chinese, from their codes and values
    expect(res.body.problems.map((p: Parameters<typeof problemText>[0]) => problemText(p, 'zh'))).toEqual([
      '没有编码或名称为“超声炮”的项目',
      '与第 3 行重复（项目、院区、日期和渠道相同）',
      '小数超过两位（最小单位是分）',
      '老客订单数不能超过订单数',
    ]);
    expect(res.body.problemCount).toBe(4);
    expect(await salesOf(thermage)).toEqual([]);
  });

  it('commits in the background, stores the good rows exactly, and lists the refused ones with reasons', async () => {
    const done = await committed(id);
    expect(done).toMatchObject({ status: 'done', rowsTotal: 8, rowsDone: 5, rowsRefused: 3 });
    expect((await salesOf(thermage)).map((r) => [r.date, r.units, r.revenueFen])).toEqual([
      ['2026-11-03', 2, 3_960_150],
      ['2026-11-04', 1, 1_980_005],
      ['2026-11-05', 3, 5_940_000],
      ['2026-11-06', 1, 29],
    ]);
    expect(await salesOf(hydra)).toEqual([
      { date: '2026-11-07', branchId: pudong, units: 4, revenueFen: 396_010, orders: 4, returningOrders: 1 },
    ]);
    const refused = await h.app.inject({
      method: 'GET',
      url: `/api/imports/${id}/refused.csv`,
      headers: { authorization: `Bearer ${manager.token}` },
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.headers['content-type']).toMatch(/text\/csv/);
    const lines = refused.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('row,日期,院区,项目名称,数量,实收金额(元),订单数,老客订单数,原因,reason');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['7', '8', '10']);
    // The reasons in Chinese, then in English (the last column), each naming the file's column.
    expect(lines[3]).toContain('老客订单数：老客订单数不能超过订单数');
    expect(lines[3]).toMatch(/老客订单数: returning orders cannot exceed orders"?$/);
    for (const line of lines.slice(1)) expect(line).not.toMatch(/"?\[\{/);
  });

  it('recognises the same file uploaded again and stores nothing new', async () => {
    const before = await h.db.selectFrom('imports').select('id').execute();
    const again = await upload(
      manager.token,
      { kind: 'sales', sheet: '销售' },
      { name: 'copy.xlsx', content: workbook },
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id, recognised: true, status: 'done' });
    expect(await h.db.selectFrom('imports').select('id').execute()).toEqual(before);
    const recommit = await call(h.app, 'POST', `/api/imports/${id}/commit`, { token: manager.token });
    expect(recommit.status).toBe(409);
    expect((await salesOf(thermage)).length).toBe(4);
    expect(await h.db.selectFrom('importRows').select('seq').where('importId', '<>', id).execute()).toEqual(
      [],
    );
  });

  it('is shown to its uploader and hidden from another manager (404)', async () => {
    expect((await call(h.app, 'GET', `/api/imports/${id}`, { token: otherManager.token })).status).toBe(404);
    const mine = await call(h.app, 'GET', '/api/imports', { token: manager.token });
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect((await call(h.app, 'GET', '/api/imports', { token: otherManager.token })).body.items).toEqual([]);
  });
});

describe('CSV exports', () => {
  const header = '销售日期,门店,产品,销量,营业额,订单,老客订单\r\n';

  it('reads a GBK CSV as Excel on a Chinese Windows saves it', async () => {
    const text = `${header}2026/11/9,上海静安院区,热玛吉 FLX,1,"1,234.56",1,0\r\n2026/11/10,SH02,水光针,2,800,2,1\r\n`;
    const res = await upload(
      manager.token,
      { kind: 'sales' },
      { name: 'gbk.csv', content: iconv.encode(text, 'gbk') },
    );
    expect(res.status).toBe(201);
    expect(res.body.encoding).toBe('gb18030');
    expect(res.body.headers[1]).toBe('门店');
    expect(res.body.problems).toEqual([]);
    expect(
      res.body.preview.map((p: { record: { productId: string; revenueFen: number } }) => [
        p.record.productId,
        p.record.revenueFen,
      ]),
    ).toEqual([
      [thermage, 123_456],
      [hydra, 80_000],
    ]);
    const done = await committed(res.body.id);
    expect(done).toMatchObject({ rowsDone: 2, rowsRefused: 0 });
  });

  it('reads a UTF-8 CSV with a BOM, and remembers a corrected mapping for the next file of that source', async () => {
    const text = '\ufeff日期,院区,项目,数量,流水,订单数\n2026-11-11,SH01,水光针,1,99.9,1\n';
    const first = await upload(
      manager.token,
      { kind: 'sales', source: 'crm-x' },
      { name: 'bom.csv', content: text },
    );
    expect(first.status).toBe(201);
    expect(first.body.encoding).toBe('utf-8-bom');
    expect(first.body.headers[0]).toBe('日期');
    expect(first.body.mapping.date).toBe('日期');
    expect(first.body.mappingProblems).toEqual([
      { field: 'revenue', code: 'FIELD_REQUIRED', message: 'is required: name the column that holds it' },
    ]);
    const refusedCommit = await call(h.app, 'POST', `/api/imports/${first.body.id}/commit`, {
      token: manager.token,
    });
    expect(refusedCommit.status).toBe(422);

    const badMapping = await call(h.app, 'PUT', `/api/imports/${first.body.id}/mapping`, {
      token: manager.token,
      body: { mapping: { ...first.body.mapping, revenue: '金额', colour: '数量' } },
    });
    expect(badMapping.status).toBe(400);
    expect(badMapping.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      '/mapping/colour',
      '/mapping/revenue',
    ]);

    const fixed = await call(h.app, 'PUT', `/api/imports/${first.body.id}/mapping`, {
      token: manager.token,
      body: { mapping: { ...first.body.mapping, revenue: '流水' } },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.mappingProblems).toEqual([]);
    expect(fixed.body.preview[0].record).toMatchObject({
      productId: hydra,
      revenueFen: 9_990,
      date: '2026-11-11',
    });

    const next = await upload(
      manager.token,
      { kind: 'sales', source: 'crm-x' },
      {
        name: 'bom-2.csv',
        content: '\ufeff日期,院区,项目,数量,流水,订单数\n2026-11-12,SH01,水光针,1,10,1\n',
      },
    );
    expect(next.body.mapping.revenue).toBe('流水');
    expect(next.body.mappingProblems).toEqual([]);
  });
});

describe('bad uploads', () => {
  it('names every problem of the fields with 400 and stores nothing', async () => {
    const before = await h.db.selectFrom('imports').select('id').execute();
    const res = await upload(
      manager.token,
      { kind: 'refunds', colour: 'red', sheet: 'x' },
      { name: 'a.pdf', content: 'x' },
    );
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'file', 'kind']);
    const none = await upload(manager.token, {});
    expect(none.status).toBe(400);
    expect(none.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['file', 'kind']);
    const csvSheet = await upload(
      manager.token,
      { kind: 'sales', sheet: '销售' },
      { name: 'a.csv', content: 'a\n1\n' },
    );
    expect(csvSheet.body.fields).toEqual([
      { field: 'sheet', message: 'only an .xlsx file has sheets', code: 'SHEET_ONLY_XLSX' },
    ]);
    const noSheet = await upload(
      manager.token,
      { kind: 'sales', sheet: '退款' },
      { name: 's.xlsx', content: await salesWorkbook() },
    );
    expect(noSheet.status).toBe(400);
    expect(noSheet.body.fields[0].message).toContain('说明, 销售');
    const notXlsx = await upload(
      manager.token,
      { kind: 'sales' },
      { name: 's.xlsx', content: 'not a zip at all' },
    );
    expect(notXlsx.status).toBe(400);
    expect(await h.db.selectFrom('imports').select('id').execute()).toEqual(before);
    expect(
      await h.db
        .selectFrom('importRows')
        .select('seq')
        .where(
          'importId',
          'not in',
          before.map((b) => b.id),
        )
        .execute(),
    ).toEqual([]);
  });

  it('answers 413 for a file over IMPORT_MAX_BYTES, keeping nothing of it', async () => {
    const before = await h.db.selectFrom('imports').select('id').execute();
    const big = `日期,院区,项目,数量,实收,订单数\n${'2026-11-03,SH01,水光针,1,1,1\n'.repeat(4_000)}`;
    const res = await upload(manager.token, { kind: 'sales' }, { name: 'big.csv', content: big });
    expect(res.status).toBe(413);
    expect(await h.db.selectFrom('imports').select('id').execute()).toEqual(before);
  });

  it('lets only importing roles upload', async () => {
    const res = await upload(compliance.token, { kind: 'sales' }, { name: 'a.csv', content: 'a\n1\n' });
    expect(res.status).toBe(403);
  });
});
