import { it } from 'vitest';
import { generateDemoCustomers } from '../../../../electron/core/customers/demoData';
import { createTestCustomers } from './testService';
it('perf', () => {
  const all = [...generateDemoCustomers(30000, { seed: 3 })];
  const { service } = createTestCustomers();
  const t = performance.now();
  for (let i = 0; i < all.length; i += 5000) service.createMany(all.slice(i, i + 5000));
  console.log('createMany us/row', ((performance.now() - t) * 1000) / all.length);
});
