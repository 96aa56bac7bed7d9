import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWED_LICENCES, licenceAllowed, licenceProblems, sbom } from '../../../scripts/supply-chain.mjs';

// What CallDesk ships, from the lock file: a CycloneDX SBOM of the production dependencies and a
// licence check that fails the build on a licence we may not ship.
const ROOT = path.resolve(__dirname, '../../..');

describe('supply chain', () => {
  it('the SBOM lists every production dependency of package.json with its locked version', () => {
    const bom = sbom(ROOT);
    expect(bom.bomFormat).toBe('CycloneDX');
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    const deps = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    const byName = new Map(bom.components.map((c) => [c.name, c.version]));
    for (const dep of deps) expect(byName.get(dep), dep).toBe(lock.packages[`node_modules/${dep}`]!.version);
    // Development tools are not shipped.
    expect(byName.has('vitest')).toBe(false);
    expect(byName.has('electron-builder')).toBe(false);
  });

  it('every production dependency has an allowed licence', () => {
    expect(licenceProblems(sbom(ROOT))).toEqual([]);
  });

  it('reads SPDX expressions: OR needs one allowed side, AND needs both; copyleft and unknown are refused', () => {
    expect(licenceAllowed('MIT')).toBe(true);
    expect(licenceAllowed('(MIT OR GPL-3.0-only)')).toBe(true);
    expect(licenceAllowed('MIT AND GPL-3.0-only')).toBe(false);
    expect(licenceAllowed('(BSD-2-Clause OR MIT OR Apache-2.0)')).toBe(true);
    expect(licenceAllowed('Apache-2.0 WITH LLVM-exception')).toBe(true);
    expect(licenceAllowed('GPL-3.0-only')).toBe(false);
    expect(licenceAllowed('AGPL-3.0-or-later')).toBe(false);
    expect(licenceAllowed('SEE LICENSE IN LICENSE.txt')).toBe(false);
    expect(licenceAllowed(undefined)).toBe(false);
    expect(licenceAllowed('(MIT')).toBe(false);
    const bom = { components: [{ name: 'a', version: '1.0.0', licenses: [{ license: { id: 'GPL-2.0-only' } }] }, { name: 'b', version: '2.0.0' }, { name: 'c', version: '3.0.0', licenses: [{ expression: 'MIT' }] }] };
    expect(licenceProblems(bom)).toEqual(['a@1.0.0: GPL-2.0-only', 'b@2.0.0: no licence declared']);
    expect(ALLOWED_LICENCES).not.toContain('GPL-3.0-only');
  });
});
