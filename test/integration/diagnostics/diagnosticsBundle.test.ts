import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import type { Core } from '../../../electron/core/createCore';
import { SIP_PASSWORD_SECRET } from '../../../electron/core/phone/phoneController';
import { REFRESH_TOKEN_SECRET } from '../../../electron/core/sync/syncModule';
import type { DiagnosticsPreview, DiagnosticsSaved } from '../../../shared/diagnostics/api';
import { createMemorySecretStore } from '../../fakes/adapters';
import { tempDataDir } from '../../helpers/hostProcess';
import { startTestPbx } from '../../helpers/phoneHarness';
import { createTestCore } from '../../helpers/testCore';
import { freePort, until } from '../../helpers/wait';

// The diagnostics bundle (issue 14, item 5) of a whole core registered to a real Kamailio: what it
// holds, and that none of the test's secrets is anywhere in it.

let pbx: RunningPbx;
const cores: Core[] = [];

beforeAll(async () => {
  pbx = await startTestPbx();
});

afterAll(async () => {
  for (const c of cores) await c.close().catch(() => undefined);
  await pbx?.stop();
});

async function invoke<T>(core: Core, channel: string, payload: unknown): Promise<T> {
  const r = await core.dispatcher.invoke(channel, payload, { transport: 'ws' });
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

const SIP_PASSWORD = 'pw1003';
const REFRESH_TOKEN = 'rt-Qm9vZ2xlLXNlY3JldC1yZWZyZXNoLXRva2Vu';
const TURN_CREDENTIAL = 'turn-cred-7Hq2Xk9';

describe('diagnostics bundle', () => {
  it('previews, then saves a zip with logs, settings and their sources, versions, OS, audio devices, registration, SIP trace, WebRTC stats and sync state; no password or token of the test in any byte', async () => {
    const dataDir = tempDataDir('diag-');
    fs.writeFileSync(path.join(dataDir, 'policy.json'), JSON.stringify({ settings: { 'phone.defaultCountry': 'HK' } }));
    const secrets = createMemorySecretStore();
    await secrets.set(SIP_PASSWORD_SECRET, SIP_PASSWORD);
    await secrets.set(REFRESH_TOKEN_SECRET, REFRESH_TOKEN);
    const { core } = await createTestCore({ dataDir, adapters: { secrets } });
    cores.push(core);
    await invoke(core, 'settings:set', { key: 'sip.iceServers', value: [{ urls: 'turn:turn.example:3478', username: 'agent', credential: TURN_CREDENTIAL }] });
    await invoke(core, 'settings:set', { key: 'cti.port', value: await freePort() });
    await invoke(core, 'settings:set', { key: 'cti.enabled', value: true });
    await invoke(core, 'settings:set', { key: 'sip.server', value: pbx.wsUrl });
    await invoke(core, 'settings:set', { key: 'sip.uri', value: 'sip:1003@calldesk.test' });
    await until(() => core.phone.state().registration.state === 'registered', 'registered', 30_000);
    const ctiToken = fs.readFileSync(path.join(dataDir, 'cti-token'), 'utf8').trim();
    expect(ctiToken.length).toBeGreaterThan(10);
    // A careless log line with a secret in its free text (the logger masks fields, not every message).
    core.logger('test').warn(`support asked: password is ${SIP_PASSWORD}, token ${REFRESH_TOKEN}`);
    core.quality.record('call-1', { at: Date.now(), rttMs: 40, jitterMs: 3, loss: 0, bitrateKbps: 32, codec: 'opus', mos: 4.3 });

    const devices = [
      { kind: 'audioinput', label: 'Jabra Evolve2 65 (0b0e:030c)', isDefault: true },
      { kind: 'audiooutput', label: 'Speakers (Realtek)', isDefault: true },
    ];
    const preview = await invoke<DiagnosticsPreview>(core, 'diagnostics:preview', { audioDevices: devices });
    const names = preview.files.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['manifest.json', 'versions.json', 'os.json', 'settings.json', 'phone.json', 'audio-devices.json', 'sip-trace.txt', 'webrtc-stats.json', 'sync.json', 'logs/calldesk.log']),
    );
    expect(preview.secretsRemoved).toBeGreaterThanOrEqual(2);
    expect(fs.existsSync(path.join(dataDir, 'diagnostics'))).toBe(false);

    const saved = await invoke<DiagnosticsSaved>(core, 'diagnostics:save', { audioDevices: devices });
    expect(path.dirname(saved.file)).toBe(path.join(dataDir, 'diagnostics'));
    const raw = fs.readFileSync(saved.file);
    expect(raw.byteLength).toBe(saved.bytes);
    const files = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(raw))).map(([n, b]) => [n, strFromU8(b)]));
    expect(Object.keys(files).sort()).toEqual(saved.files.map((f) => f.name).sort());

    const settings = JSON.parse(files['settings.json']!) as { entries: { key: string; value: unknown; source: string; locked: boolean }[] };
    const entry = (k: string) => settings.entries.find((e) => e.key === k);
    expect(entry('phone.defaultCountry')).toMatchObject({ value: 'HK', source: 'policy', locked: true });
    expect(entry('sip.uri')).toMatchObject({ value: 'sip:1003@calldesk.test', source: 'user' });
    expect(entry('sip.iceServers')!.value).toEqual([{ urls: 'turn:turn.example:3478', username: 'agent', credential: '[redacted]' }]);
    expect(entry('ui.language')).toMatchObject({ source: 'default' });
    expect(JSON.parse(files['phone.json']!)).toMatchObject({ registration: { state: 'registered', aor: 'sip:1003@calldesk.test' } });
    expect(JSON.parse(files['audio-devices.json']!)).toEqual({ available: true, devices });
    expect(JSON.parse(files['versions.json']!)).toMatchObject({ version: '0.0.0-test', node: process.versions.node });
    expect(JSON.parse(files['os.json']!)).toMatchObject({ platform: process.platform, cpus: expect.any(Number) });
    expect(JSON.parse(files['sync.json']!)).toMatchObject({ state: { connection: 'disabled', outboxDepth: expect.any(Number) } });
    expect(JSON.parse(files['webrtc-stats.json']!)).toMatchObject({ live: { 'call-1': [expect.objectContaining({ rttMs: 40 })] } });
    // The REGISTER exchange with Kamailio, digest answer removed.
    const trace = files['sip-trace.txt']!;
    expect(trace).toMatch(/SENT >>>\nREGISTER sip:calldesk\.test SIP\/2\.0/);
    expect(trace).toMatch(/RECEIVED <<<\nSIP\/2\.0 401/);
    expect(trace).toMatch(/RECEIVED <<<\nSIP\/2\.0 200 OK/);
    expect(trace).toContain('response="[removed]"');
    expect(trace).not.toMatch(/response="[0-9a-f]{32}"/);
    expect(files['logs/calldesk.log']).toContain('support asked: password is [removed], token [removed]');

    // No secret of the test anywhere: neither in the unpacked text nor in the zip's bytes.
    for (const secret of [SIP_PASSWORD, REFRESH_TOKEN, TURN_CREDENTIAL, ctiToken]) {
      for (const [name, text] of Object.entries(files)) expect(text.includes(secret), `${secret} in ${name}`).toBe(false);
      expect(raw.includes(Buffer.from(secret)), `${secret} in the zip`).toBe(false);
    }
  });
});
