import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/hostProcess';

// Proves the layer rules bite: each snippet is linted as if it lived at `filePath`.
const eslint = new ESLint({ cwd: ROOT });

async function errors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rules', () => {
  it('refuses the renderer importing the core', async () => {
    const found = await errors('renderer/features/x/Bad.tsx', "import { createCore } from '../../../electron/core/createCore';\nexport const x = createCore;\n");
    expect(found.join('\n')).toMatch(/no-restricted-imports.*shared contract/);
  });

  it('refuses the core importing electron', async () => {
    const found = await errors('electron/core/phone/bad.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(found.join('\n')).toMatch(/no-restricted-imports.*'electron'/);
  });

  it('refuses shared/ importing Node or our other layers', async () => {
    expect((await errors('shared/bad.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).join('\n')).toMatch(/no-restricted-imports/);
    expect((await errors('shared/bad.ts', "import { x } from '../renderer/main';\nexport const y = x;\n")).join('\n')).toMatch(/no-restricted-imports/);
  });

  it('lets the Electron shell import electron', async () => {
    expect(await errors('electron/main.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
  });
});
