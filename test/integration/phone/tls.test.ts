import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../../scripts/pbx.mjs';
import { createTestCa, issueServerCertificate } from '../../../scripts/testCa.mjs';
import { createTestPhone, type TestPhone } from '../../helpers/phoneHarness';

let pbx: RunningPbx;
let dir: string;
let goodCa: string;
let otherCa: string;
const phones: TestPhone[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-tls-'));
  const ca = createTestCa(dir, 'pbx-ca');
  const server = issueServerCertificate(ca, dir, 'pbx');
  goodCa = readFileSync(ca.cert, 'utf8');
  otherCa = readFileSync(createTestCa(dir, 'other-ca', '/CN=Some Other CA').cert, 'utf8');
  pbx = await startPbx({ ...(await pickPorts()), dir, tls: server, rtpengine: false });
});

afterAll(async () => {
  for (const p of phones) await p.stop().catch(() => undefined);
  await pbx?.stop();
});

function phone(user: string, tlsExtraCaPem?: string): TestPhone {
  const p = createTestPhone({ wsUrl: pbx.wssUrl! }, user, `pw${user}`, tlsExtraCaPem ? { tlsExtraCaPem } : {});
  phones.push(p);
  return p;
}

describe('wss:// to the PBX with certificate validation (Kamailio TLS, test CA)', () => {
  it('registers over wss:// when the PBX certificate comes from the CA trusted by policy', async () => {
    const p = phone('1001', goodCa);
    await p.service.start();
    await p.waitFor((s) => s.registration.state === 'registered', 'registered over wss');
  });

  it('refuses a certificate from an unknown CA: registration fails naming the host and the problem, no retry loop', async () => {
    for (const p of [phone('1002', otherCa), phone('1003')]) {
      await p.service.start();
      const s = await p.waitFor((x) => x.registration.state === 'failed', 'registration refused');
      expect(s.registration.reason).toBe('certificate');
      expect(s.registration.certificate).toMatchObject({ host: new URL(pbx.wssUrl!).host, problem: 'untrusted' });
      expect(p.logs.some((r) => r.msg === 'server certificate refused')).toBe(true);
    }
  });
});
