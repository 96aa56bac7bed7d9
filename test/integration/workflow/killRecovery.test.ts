import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PATH, type WsServerMessage } from '../../../shared/api/wsProtocol';
import { ROOT, tempDataDir } from '../../helpers/hostProcess';

/**
 * Kill the browser host (SIGKILL) right after it acknowledged a ticket save: after a restart the
 * ticket and its outbox row are there. The host is built from the current sources into a private
 * folder, so the test never depends on (or disturbs) a stale `dist/`.
 */

const OUT = path.join(ROOT, '.tmp', `workflow-kill-${process.pid}`);
const ENTRY = path.join(OUT, 'host', 'main.mjs');
const children = new Set<ChildProcess>();
const dirs: string[] = [];

interface Host {
  child: ChildProcess;
  origin: string;
  token: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startHost(dataDir: string): Promise<Host> {
  const child = spawn(process.execPath, [ENTRY, '--no-open', '--data-dir', dataDir, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', NODE_ENV: 'production', CALLDESK_POLICY_FILE: path.join(dataDir, 'policy.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 20 s:\n${out}`)), 20_000);
    child.stdout!.on('data', () => {
      const m = /CallDesk is running: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${out}`));
    });
  });
  const u = new URL(url);
  return { child, origin: u.origin, token: u.searchParams.get('token') ?? '', exited };
}

function connect(host: Host): Promise<{ ws: WebSocket; messages: WsServerMessage[] }> {
  return new Promise((resolve, reject) => {
    const messages: WsServerMessage[] = [];
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}${WS_PATH}?token=${encodeURIComponent(host.token)}`, { origin: host.origin });
    ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as WsServerMessage));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('error', reject);
  });
}

type ResultMessage = { type: 'result'; id: number; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } };

async function invoke(ws: WebSocket, messages: WsServerMessage[], id: number, channel: string, payload?: unknown): Promise<ResultMessage['result']> {
  ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
  await expect.poll(() => messages.find((m) => m.type === 'result' && m.id === id), { timeout: 10_000 }).toBeTruthy();
  return (messages.find((m) => m.type === 'result' && m.id === id) as unknown as ResultMessage).result;
}

beforeAll(() => {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--only', 'host', '--outdir', OUT], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the host failed:\n${r.stdout}\n${r.stderr}`);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(OUT, { recursive: true, force: true });
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('kill recovery', () => {
  it('keeps every acknowledged ticket and its outbox row when the host is SIGKILLed right after the save', async () => {
    const dataDir = tempDataDir('calldesk-kill-');
    dirs.push(dataDir);
    const first = await startHost(dataDir);
    const { ws } = await connect(first);

    // Fire a burst of saves; SIGKILL the host the moment the first acknowledgement arrives, while
    // the others may still be in flight.
    const acked: string[] = [];
    let killedAfter = -1;
    const killed = new Promise<void>((resolve) => {
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as ResultMessage;
        if (m.type !== 'result' || !m.result.ok) return;
        acked.push((m.result.value as { id: string }).id);
        if (killedAfter < 0) {
          killedAfter = acked.length;
          first.child.kill('SIGKILL');
          resolve();
        }
      });
    });
    for (let i = 1; i <= 20; i++) {
      ws.send(
        JSON.stringify({
          type: 'invoke',
          id: i,
          channel: 'ticket:create',
          payload: { type: 'complaint', priority: 'P2', category: 'delivery', subject: `Parcel ${i} is late`, description: 'kill test' },
        }),
      );
    }
    await killed;
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(1);
    ws.terminate();

    const second = await startHost(dataDir);
    const c2 = await connect(second);
    for (const [i, id] of acked.entries()) {
      const got = await invoke(c2.ws, c2.messages, 100 + i, 'ticket:get', { id });
      expect(got.ok, JSON.stringify(got.error)).toBe(true);
      expect(got.value).toMatchObject({ ticket: { id, status: 'new', type: 'complaint' }, history: [{ action: 'created' }] });
    }
    const mine = await invoke(c2.ws, c2.messages, 200, 'ticket:list', { view: 'my-open' });
    expect((mine.value as { items: { id: string }[] }).items.map((t) => t.id)).toEqual(expect.arrayContaining(acked));
    c2.ws.close();

    // Every ticket on disk has its outbox row and no outbox row lacks its ticket (nothing torn).
    const db = new Database(path.join(dataDir, 'calldesk.sqlite'), { readonly: true, fileMustExist: true });
    const tickets = (db.prepare('SELECT id FROM tickets').all() as { id: string }[]).map((r) => r.id);
    const rows = db.prepare("SELECT entity_id, seq, client_id, operation, base_version, payload_json FROM outbox WHERE entity = 'ticket'").all() as {
      entity_id: string;
      seq: number;
      client_id: string;
      operation: string;
      base_version: number | null;
      payload_json: string;
    }[];
    db.close();
    expect(tickets).toEqual(expect.arrayContaining(acked));
    expect(rows.map((r) => r.entity_id).sort()).toEqual([...tickets].sort());
    for (const r of rows) {
      expect(r).toMatchObject({ operation: 'create', base_version: null });
      expect(JSON.parse(r.payload_json)).toMatchObject({ record: { id: r.entity_id, subject: expect.stringMatching(/^Parcel \d+ is late$/) } });
    }
    expect(new Set(rows.map((r) => r.client_id)).size).toBe(1);
    process.stdout.write(`kill recovery: killed after ${killedAfter} ack(s); ${acked.length} acknowledged, ${tickets.length} on disk, ${rows.length} outbox rows\n`);

    second.child.kill('SIGTERM');
    await second.exited;
  });
});
