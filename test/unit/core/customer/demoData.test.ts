import { describe, expect, it } from 'vitest';
import { demoShowcase, generateDemoCustomers, seedDemoCustomers } from '../../../../electron/core/customer/demoData';
import { customerSaveSchema } from '../../../../shared/customer/schema';
import { normalizePhoneNumber } from '../../../../shared/phone-number/normalize';
import { createTestCustomers } from './testService';

describe('demo data generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = [...generateDemoCustomers(50, { seed: 7 })];
    const b = [...generateDemoCustomers(50, { seed: 7 })];
    const c = [...generateDemoCustomers(50, { seed: 8 })];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('produces valid customers, Chinese and English, with phones that all normalise', () => {
    const all = [...generateDemoCustomers(20000, { seed: 1 })];
    const chinese = all.filter((c) => /\p{Script=Han}/u.test(c.name));
    expect(chinese.length).toBeGreaterThan(12000);
    expect(chinese.length).toBeLessThan(18000);
    const formats = new Set<string>();
    for (const c of all) {
      expect(customerSaveSchema.safeParse(c).success).toBe(true);
      for (const p of c.phones ?? []) {
        const n = normalizePhoneNumber(p.raw, { defaultRegion: 'CN' });
        expect(n, p.raw).toMatchObject({ kind: 'number' });
        formats.add(p.raw.replace(/\d/g, '9'));
      }
    }
    expect(formats.size).toBeGreaterThan(30);
    expect(new Set(all.map((c) => c.code)).size).toBe(all.length);
  });
});

describe('seedDemoCustomers', () => {
  it('seeds an empty database with the showcase customers and N generated ones', () => {
    const { service } = createTestCustomers();
    const written = seedDemoCustomers(service, 300, { seed: 3, batchSize: 100 });
    expect(written).toBe(300 + demoShowcase().length);
    expect(service.lookupCaller({ number: '+86 755 88881234' }).matches.map((m) => m.name)).toEqual(['张伟']);
    expect(service.lookupCaller({ number: '+86 138 0013 8000' }).matches.map((m) => m.code)).toEqual(['FAM-0001', 'FAM-0002']);
    expect(service.search({ query: 'zw' }).total).toBeGreaterThan(0);
  });

  it('refuses a database that already has customers', () => {
    const { service } = createTestCustomers();
    service.save({ name: 'Real customer' });
    expect(() => seedDemoCustomers(service, 10)).toThrow(/empty database/);
  });
});
