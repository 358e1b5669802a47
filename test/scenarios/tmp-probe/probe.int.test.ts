import { it } from 'vitest';
import { makePerson, makeDepartment, startApi } from '../../support/api.js';
it('probe', async () => {
  const h = await startApi();
  const p = await makePerson(h.db, [{ role: 'product_manager' }]);
  const r = await h.app.inject({ method: 'POST', url: '/api/products', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'text/plain' }, payload: 'name=HA' });
  console.log('415?', r.statusCode, r.body);
  for (const depth of [1000, 10000, 100000, 1000000]) {
    const r2 = await h.app.inject({ method: 'PUT', url: '/api/products/00000000-0000-4000-8000-000000000000/sheet', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, payload: '{"spec":' + '['.repeat(depth) + ']'.repeat(depth) + '}' });
    console.log('deep', depth, r2.statusCode, r2.body.slice(0, 200));
  }
  await h.close();
});
