import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('server layer', () => {
  it('imports only server/, shared/, Node and npm packages (never electron/ or renderer/)', () => {
    const offenders: string[] = [];
    for (const file of files(path.join(root, 'server'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) {
          if (spec === 'electron' || spec.startsWith('electron/')) offenders.push(`${path.relative(root, file)} -> ${spec}`);
          continue;
        }
        const target = path.relative(root, path.resolve(path.dirname(file), spec));
        if (!target.startsWith('server') && !target.startsWith('shared')) offenders.push(`${path.relative(root, file)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
