import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The release workflow cannot run here (no internet, no Windows or macOS runners): this keeps it
// valid YAML with the structure the release needs (actionlint is not installable here).
const require = createRequire(import.meta.url);
// js-yaml arrives with electron-builder and electron-updater (not a direct dependency).
const yaml = require('js-yaml') as { load(text: string): unknown };
const ROOT = path.resolve(__dirname, '../../..');
const text = fs.readFileSync(path.join(ROOT, '.github/workflows/release.yml'), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; needs?: string; strategy?: { matrix: { include: { os: string; target: string }[] } }; steps: Step[]; env?: Record<string, string> }>;
}

describe('release workflow', () => {
  const wf = yaml.load(text) as Workflow;

  it('builds on Windows, macOS and Linux runners from the lock file, checks, packages signed installers with the update feed, and publishes after all three', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['push', 'workflow_dispatch']);
    const build = wf.jobs.build!;
    expect(build.strategy!.matrix.include.map((m) => [m.os.split('-')[0], m.target])).toEqual([
      ['windows', '--win'],
      ['macos', '--mac'],
      ['ubuntu', '--linux'],
    ]);
    const runs = build.steps.map((s) => s.run ?? s.uses ?? '');
    const order = ['npm ci', 'npm run typecheck', 'npm run lint', 'npm run licences', 'npm run sbom', 'npm run build', 'node scripts/pack.mjs'].map((cmd) => runs.findIndex((r) => r.startsWith(cmd)));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)), runs.join(' | ')).toBe(true);
    expect(build.env!.CALLDESK_UPDATE_URL).toBe('${{ vars.CALLDESK_UPDATE_URL }}');
    const pack = build.steps.find((s) => s.run?.startsWith('node scripts/pack.mjs'))!;
    for (const v of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'WIN_CSC_LINK', 'APPLE_ID', 'APPLE_TEAM_ID']) expect(pack.env![v]).toBe(`\${{ secrets.${v} }}`);
    expect(wf.jobs.publish!.needs).toBe('build');
  });

  it('uses only pinned major versions of actions and no secret in a run line', () => {
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    for (const s of steps.filter((x) => x.uses)) expect(s.uses).toMatch(/^actions\/[a-z-]+@v\d+$/);
    for (const s of steps.filter((x) => x.run)) expect(s.run).not.toMatch(/secrets\./);
  });
});
