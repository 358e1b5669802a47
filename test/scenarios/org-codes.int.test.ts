import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makePerson, startApi, type ApiHarness, type TestPerson } from '../support/api.js';

let h: ApiHarness;
let admin: TestPerson;

beforeAll(async () => {
  h = await startApi();
  admin = await makePerson(h.db, [{ role: 'admin' }], 'Admin');
});
afterAll(async () => {
  await h.close();
});

describe.each(['branches', 'departments'])('codes of %s as chains write them', (path) => {
  it('takes upper case, digits, - and _, and keeps the code as typed', async () => {
    for (const code of [`SH01-${path}`, `BJ-CY_${path}`, `skin_${path}`]) {
      const created = await call(h.app, 'POST', `/api/${path}`, {
        token: admin.token,
        body: { code, name: '上海静安院' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.code).toBe(code);
    }
    const listed = await call(h.app, 'GET', `/api/${path}`, { token: admin.token });
    expect(listed.body.items.map((u: { code: string }) => u.code)).toContain(`SH01-${path}`);
  });

  it('refuses the same code in another case with 409, storing nothing', async () => {
    const first = await call(h.app, 'POST', `/api/${path}`, {
      token: admin.token,
      body: { code: `GZ02${path}`, name: 'one' },
    });
    expect(first.status).toBe(201);
    const again = await call(h.app, 'POST', `/api/${path}`, {
      token: admin.token,
      body: { code: `gz02${path}`, name: 'two' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(path === 'branches' ? 'branch_code_taken' : 'department_code_taken');
    const listed = await call(h.app, 'GET', `/api/${path}`, { token: admin.token });
    expect(
      listed.body.items.filter((u: { code: string }) => u.code.toLowerCase() === `gz02${path}`),
    ).toHaveLength(1);
  });

  it('still refuses spaces, other punctuation and a leading dash with 400 naming the field', async () => {
    for (const code of ['SH 01', 'SH/01', '-SH01', '']) {
      const refused = await call(h.app, 'POST', `/api/${path}`, {
        token: admin.token,
        body: { code, name: 'x' },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.fields.map((f: { field: string }) => f.field)).toContain('/code');
    }
  });
});
