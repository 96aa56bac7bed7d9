import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/createCore';
import type { InvokeMeta } from '../../../../electron/core/api/dispatcher';
import { CSV_MAX_BYTES, CSV_UPLOAD_CHUNK_BYTES, type CsvImportJob } from '../../../../shared/customer/csv';
import { WS_MAX_MESSAGE_BYTES } from '../../../../shared/api/wsProtocol';
import { createTestCore } from '../../../helpers/testCore';

// Large CSV files through the contract: uploaded in chunks that each fit a WebSocket message,
// imported as a job with progress events, status and cancel; small files still import inline.

const ws: InvokeMeta = { transport: 'ws', client: 'test' };
let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

function gbkCsv(rows: number, prefix = 'J'): Buffer {
  const lines = ['编号,姓名,手机,等级,备注'];
  const note = '老客户，'.repeat(20);
  for (let i = 1; i <= rows; i++) lines.push(`${prefix}${i},${i === 7 ? '' : `导入客户${i}`},${i === 9 ? '12' : `137${String(i).padStart(8, '0')}`},普通,${note}`);
  return iconv.encode(lines.join('\r\n'), 'gbk');
}

async function setup() {
  core = (await createTestCore()).core;
  const c = core;
  const invoke = async <T>(channel: string, payload: unknown): Promise<T> => {
    const r = await c.dispatcher.invoke(channel, payload, ws);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  const events: CsvImportJob[] = [];
  c.events.on('customer:import-progress', (job) => events.push(job));
  /** Uploads in contract-sized chunks, checking each message would fit the browser host's cap. */
  const upload = async (bytes: Buffer): Promise<string> => {
    const { uploadId } = await invoke<{ uploadId: string }>('customer:csv-upload-begin', { size: bytes.length });
    for (let offset = 0; offset < bytes.length; offset += CSV_UPLOAD_CHUNK_BYTES) {
      const contentBase64 = bytes.subarray(offset, offset + CSV_UPLOAD_CHUNK_BYTES).toString('base64');
      const message = JSON.stringify({ type: 'invoke', id: 1, channel: 'customer:csv-upload-chunk', payload: { uploadId, offset, contentBase64 } });
      expect(Buffer.byteLength(message)).toBeLessThan(WS_MAX_MESSAGE_BYTES);
      await invoke('customer:csv-upload-chunk', { uploadId, offset, contentBase64 });
    }
    return uploadId;
  };
  const finished = async (jobId: string): Promise<CsvImportJob> => {
    for (let i = 0; i < 2000; i++) {
      const job = await invoke<CsvImportJob>('customer:import-status', { jobId });
      if (job.state !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('import job did not finish');
  };
  return { core: c, invoke, events, upload, finished };
}

describe('CSV import jobs', { timeout: 120_000 }, () => {
  it('imports a file larger than a WebSocket message from chunks, with "N of M" progress and broken rows reported', async () => {
    const { core: c, invoke, events, upload, finished } = await setup();
    const bytes = gbkCsv(12_000);
    expect(bytes.length).toBeGreaterThan(WS_MAX_MESSAGE_BYTES);
    const uploadId = await upload(bytes);
    const preview = await invoke<{ rowCount: number; encoding: string }>('customer:preview-csv', { uploadId });
    expect(preview).toMatchObject({ rowCount: 12_000, encoding: 'gb18030' });

    const started = await invoke<CsvImportJob>('customer:import-start', { uploadId });
    expect(started).toMatchObject({ state: 'running', done: 0, dryRun: false });
    const job = await finished(started.jobId);
    expect(job).toMatchObject({ state: 'done', done: 12_000, total: 12_000 });
    expect(job.report).toMatchObject({ rows: 12_000, created: 11_998, rejected: 2 });
    expect(job.report!.rejectedRows.map((r) => r.line)).toEqual([8, 10]);
    expect(job.report!.rejectedRows[1]!.reasons.join()).toMatch(/too short to be a phone number/);

    const progress = events.filter((e) => e.jobId === started.jobId);
    expect(progress.some((e) => e.state === 'running' && e.total === 12_000 && e.done > 0 && e.done < 12_000)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ state: 'done', done: 12_000 });
    expect(c.customers.service.search({ query: '导入客户11999' }).items.map((i) => i.code)).toEqual(['J11999']);
  });

  it('cancel stops after the current chunk: rows written stay, the job says cancelled and how far it got', async () => {
    const { core: c, invoke, upload, finished } = await setup();
    const started = await invoke<CsvImportJob>('customer:import-start', { uploadId: await upload(gbkCsv(12_000, 'K')) });
    const stop = await new Promise<CsvImportJob>((resolve) => {
      const off = c.events.on('customer:import-progress', (job) => {
        if (job.done > 0 && job.state === 'running') {
          off();
          resolve(invoke<CsvImportJob>('customer:import-cancel', { jobId: started.jobId }));
        }
      });
    });
    expect(stop.jobId).toBe(started.jobId);
    const job = await finished(started.jobId);
    expect(job.state).toBe('cancelled');
    expect(job.done).toBeLessThan(12_000);
    expect(job.report!.created).toBeGreaterThan(0);
    expect(c.customers.service.repository.count()).toBe(job.report!.created);
  });

  it('refuses a second import while one runs, chunks out of order, an incomplete upload and files over 64 MB', async () => {
    const { core: c, invoke, upload } = await setup();
    const call = (channel: string, payload: unknown) => c.dispatcher.invoke(channel, payload, ws);
    expect(await call('customer:csv-upload-begin', { size: CSV_MAX_BYTES + 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const { uploadId } = await invoke<{ uploadId: string }>('customer:csv-upload-begin', { size: 10 });
    expect(await call('customer:csv-upload-chunk', { uploadId, offset: 5, contentBase64: Buffer.from('abcde').toString('base64') })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining('expected byte 0') },
    });
    await invoke('customer:csv-upload-chunk', { uploadId, offset: 0, contentBase64: Buffer.from('abcde').toString('base64') });
    expect(await call('customer:import-start', { uploadId })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining('5 of 10 bytes') } });
    expect(await call('customer:csv-upload-chunk', { uploadId, offset: 5, contentBase64: Buffer.from('too long!').toString('base64') })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await call('customer:import-start', { uploadId: 'no-such-upload' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const big = await upload(gbkCsv(20_000, 'L'));
    const running = await invoke<CsvImportJob>('customer:import-start', { uploadId: big });
    expect(await call('customer:import-start', { uploadId: big })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await invoke('customer:import-cancel', { jobId: running.jobId });
  });

  it('an unreadable upload fails the job with the reason and writes nothing', async () => {
    const { core: c, invoke, upload, finished } = await setup();
    const started = await invoke<CsvImportJob>('customer:import-start', { uploadId: await upload(Buffer.from('a,b\u0000c\r\n1,2\r\n')) });
    const job = await finished(started.jobId);
    expect(job).toMatchObject({ state: 'failed', report: null, error: { code: 'INVALID_PAYLOAD' } });
    expect(c.customers.service.repository.count()).toBe(0);
  });
});
