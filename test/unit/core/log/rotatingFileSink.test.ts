import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogRoot } from '../../../../electron/core/log/logger';
import { createRotatingFileSink } from '../../../../electron/core/log/rotatingFileSink';
import { tempDataDir } from '../../../helpers/hostProcess';

describe('rotating file sink', () => {
  it('rotates past the size limit and keeps at most maxFiles files', () => {
    const file = path.join(tempDataDir(), 'logs', 'calldesk.log');
    const log = createLogRoot([createRotatingFileSink({ file, maxBytes: 1000, maxFiles: 3 })]).createLogger('r');
    for (let i = 0; i < 100; i++) log.info(`line ${i}`, { i });
    const files = fs.readdirSync(path.dirname(file)).sort();
    expect(files).toEqual(['calldesk.log', 'calldesk.log.1', 'calldesk.log.2']);
    for (const f of files) expect(fs.statSync(path.join(path.dirname(file), f)).size).toBeLessThanOrEqual(1000);
    const last = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { fields: { i: number } });
    expect(last.at(-1)?.fields.i).toBe(99);
  });
});
