import { describe, expect, it } from 'vitest';
import { visibleEntries } from '../../../../renderer/app/navigation';

describe('navigation by role', () => {
  it('the supervisor page is listed for supervisors and admins only, never for agents or a desktop not signed in', () => {
    const keys = (role: Parameters<typeof visibleEntries>[0]) => visibleEntries(role).map((e) => e.key);
    expect(keys('supervisor')).toContain('supervisor');
    expect(keys('admin')).toContain('supervisor');
    expect(keys('agent')).not.toContain('supervisor');
    expect(keys(null)).not.toContain('supervisor');
    expect(keys('agent')).toEqual(['customers', 'tickets', 'myday', 'settings', 'diagnostics']);
  });
});
