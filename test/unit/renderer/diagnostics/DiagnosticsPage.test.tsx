import { render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { DiagnosticsPage } from '../../../../renderer/features/diagnostics/DiagnosticsPage';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { usePhoneStore } from '../../../../renderer/stores/phoneStore';
import type { CallSnapshot } from '../../../../shared/phone/call';
import { useSyncStore } from '../../../../renderer/stores/syncStore';
import { syncStateFixture, syncUserFixture } from '../../../fakes/fakeSyncApi';
import { callIdentity } from '../../../../shared/phone-number/callerId';

const info = {
  name: 'CallDesk',
  version: '1.2.3',
  host: 'web' as const,
  locale: 'zh-CN',
  platform: 'linux',
  startedAt: Date.UTC(2026, 10, 24, 9),
  dataDir: '/home/agent/.config/CallDesk',
  logFile: '/home/agent/.config/CallDesk/logs/calldesk.log',
  databaseFile: '/home/agent/.config/CallDesk/calldesk.sqlite',
  policyFile: '/etc/calldesk/policy.json',
  schemaVersion: 15,
};

describe('diagnostics page', () => {
  beforeEach(() => {
    useCoreStore.setState({ info });
    useSyncStore.setState({ sync: null, notices: [] });
    usePhoneStore.setState({ phone: null });
  });

  it('lists paths and versions, and the central server link with its outbox depth and last error', () => {
    useSyncStore.setState({
      sync: syncStateFixture({ connection: 'offline', outboxDepth: 7, lastError: 'The server cannot be reached: ECONNREFUSED', user: syncUserFixture() }),
    });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <DiagnosticsPage />
      </I18nextProvider>,
    );
    const page = screen.getByTestId('page-diagnostics').textContent!;
    expect(page).toContain('/home/agent/.config/CallDesk/calldesk.sqlite');
    expect(page).toContain('Central server' + 'https://calldesk.example.com');
    expect(page).toContain('Server connection' + 'Offline');
    expect(page).toContain('Changes waiting to sync' + '7');
    expect(page).toContain('ECONNREFUSED');
    expect(page).toContain('李娜 (u-lina)');
  });

  it('shows no server rows before the core answers about sync, in Chinese', () => {
    render(
      <I18nextProvider i18n={createI18n('zh-CN')}>
        <DiagnosticsPage />
      </I18nextProvider>,
    );
    const page = screen.getByTestId('page-diagnostics').textContent!;
    expect(page).toContain('/etc/calldesk/policy.json');
    expect(page).not.toContain('中心服务器');
  });

  it('lists failed calls with their SIP detail (code, raw error, Call-ID) for IT, and not calls that ended normally', () => {
    const call = (id: string, end: CallSnapshot['end'], direction: CallSnapshot['direction'] = 'outbound'): CallSnapshot => ({
      id,
      sipCallId: `sip-${id}`,
      direction,
      remote: { number: '9999', displayName: '', uri: 'sip:9999@pbx', source: 'to' },
      caller: callIdentity('outbound', { to: '<sip:9999@pbx>' }).caller,
      state: 'ended',
      muted: false,
      remoteHold: false,
      waiting: false,
      times: { created: 1, holds: [], ended: 2 },
      end,
      headers: {},
      dtmfReceived: '',
    });
    usePhoneStore.setState({
      phone: {
        registration: { state: 'registered', aor: 'sip:1001@pbx', since: 0, attempt: 0 },
        doNotDisturb: false,
        mediaReady: true,
        calls: [
          call('a', { reason: 'failed', sipCode: 404, message: 'Not Found' }),
          call('b', { reason: 'failed', message: 'media setDescription failed: Called with SDP without DTLS fingerprint' }, 'inbound'),
          call('c', { reason: 'remote-hangup' }, 'inbound'),
        ],
      },
    });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <DiagnosticsPage />
      </I18nextProvider>,
    );
    const failures = screen.getByTestId('diagnostics-call-failures').textContent!;
    expect(failures).toContain('9999: failed 404 Not Found (Call-ID sip-a)');
    expect(failures).toContain('DTLS fingerprint (Call-ID sip-b)');
    expect(failures).not.toContain('sip-c');
  });
});
