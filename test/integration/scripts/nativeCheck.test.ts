import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_FIX, sqliteProblem } from '../../../scripts/nativeCheck.mjs';

// `npm start` checks that better-sqlite3 loads before starting the browser host: a development
// install whose native build was deleted (as a failed offline rebuild for Electron used to do) gets
// one line naming the fix instead of "Could not locate the bindings file" from deep in the core.
const ROOT = path.resolve(__dirname, '../../..');

describe('npm start: SQLite native module check', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-native-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('passes on the working development install', () => {
    expect(sqliteProblem(ROOT)).toBeNull();
  });

  it('names the fix in one line when the native build is missing', () => {
    // A real copy of the installed packages, minus the compiled binary.
    for (const pkg of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
      fs.cpSync(path.join(ROOT, 'node_modules', pkg), path.join(tmp, 'node_modules', pkg), { recursive: true, dereference: true });
    }
    fs.rmSync(path.join(tmp, 'node_modules/better-sqlite3/build'), { recursive: true, force: true });
    fs.writeFileSync(path.join(tmp, 'package.json'), '{}');
    const problem = sqliteProblem(tmp);
    expect(problem).not.toBeNull();
    expect(problem!.split('\n')).toHaveLength(1);
    expect(problem).toContain('better-sqlite3');
    expect(problem).toContain(`fix: ${SQLITE_FIX}`);
    expect(problem).toMatch(/bindings/);
  });
});
