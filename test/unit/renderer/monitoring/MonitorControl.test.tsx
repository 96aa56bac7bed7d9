import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MonitorControl } from '../../../../renderer/features/monitoring/MonitorControl';
import { MonitorIndicator } from '../../../../renderer/features/monitoring/MonitorIndicator';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useMonitorStore } from '../../../../renderer/stores/monitorStore';
import type { CalldeskApi } from '../../../../shared/api/client';
import type { MonitorSession, MonitorState } from '../../../../shared/monitor/api';

function fakeApi() {
  let push: (s: MonitorState) => void = () => undefined;
  const session = (mode: MonitorSession['mode']): MonitorSession => ({ id: 'm1', role: 'supervisor', callId: 'c1', peer: 'sip:1001@x', mode, state: 'connecting', indicator: false });
  const monitor = {
    state: vi.fn(async () => ({ ok: true, value: { sessions: [] } })),
    onState: vi.fn((l: (s: MonitorState) => void) => {
      push = l;
      return () => undefined;
    }),
    start: vi.fn(async (p: { mode: MonitorSession['mode'] }) => ({ ok: true, value: session(p.mode) })),
    mode: vi.fn(async (p: { mode: MonitorSession['mode'] }) => ({ ok: true, value: { ...session(p.mode), state: 'active' } })),
    stop: vi.fn(async () => ({ ok: true, value: { ...session('listen'), state: 'ended' } })),
  };
  const api = { monitor } as unknown as CalldeskApi;
  return { api, monitor, push: (s: MonitorState) => act(() => push(s)) };
}

let detach: (() => void) | null = null;
afterEach(() => {
  detach?.();
  useMonitorStore.setState({ sessions: [], ended: {}, lastError: null });
});

describe('MonitorControl (supervisor) and MonitorIndicator (agent)', { timeout: 30_000 }, () => {
  it('asks the server for a token once, starts in the chosen mode, switches modes in the session and stops', async () => {
    const f = fakeApi();
    detach = useMonitorStore.getState().attach(f.api);
    const requestToken = vi.fn(async () => 'v1.token');
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <MonitorControl agent="1001" requestToken={requestToken} />
      </I18nextProvider>,
    );
    expect(screen.getByRole('group', { name: 'Monitor this call' })).toBeTruthy();
    fireEvent.click(screen.getByTestId('monitor-whisper'));
    await waitFor(() => expect(f.monitor.start).toHaveBeenCalledWith({ agent: '1001', token: 'v1.token', mode: 'whisper' }));
    f.push({ sessions: [{ id: 'm1', role: 'supervisor', callId: 'c1', peer: 'sip:1001@x', mode: 'whisper', state: 'active', indicator: false }] });
    await waitFor(() => expect(screen.getByTestId('monitor-status').textContent).toBe('Whispering to the agent'));
    expect(screen.getByTestId('monitor-whisper').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByTestId('monitor-barge'));
    await waitFor(() => expect(f.monitor.mode).toHaveBeenCalledWith({ sessionId: 'm1', mode: 'barge' }));
    expect(requestToken).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByTestId('monitor-stop'));
    await waitFor(() => expect(f.monitor.stop).toHaveBeenCalledWith({ sessionId: 'm1' }));
  });

  it('shows the server\'s refusal and places no call when no token is given', async () => {
    const f = fakeApi();
    detach = useMonitorStore.getState().attach(f.api);
    render(
      <I18nextProvider i18n={createI18n('zh-CN')}>
        <MonitorControl agent="1001" requestToken={() => Promise.reject(new Error('Agent 1001 is not in your team'))} />
      </I18nextProvider>,
    );
    fireEvent.click(screen.getByTestId('monitor-listen'));
    await waitFor(() => expect(screen.getByTestId('monitor-problem').textContent).toContain('服务器不允许监听此坐席：Agent 1001 is not in your team'));
    expect(f.monitor.start).not.toHaveBeenCalled();
  });

  it('says so when the agent\'s desktop refuses the token (403), and offers the modes again', async () => {
    const f = fakeApi();
    detach = useMonitorStore.getState().attach(f.api);
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <MonitorControl agent="1001" requestToken={async () => 'v1.expired'} />
      </I18nextProvider>,
    );
    fireEvent.click(screen.getByTestId('monitor-listen'));
    await waitFor(() => expect(f.monitor.start).toHaveBeenCalled());
    f.push({ sessions: [{ id: 'm1', role: 'supervisor', callId: 'c1', peer: 'sip:1001@x', mode: 'listen', state: 'ended', indicator: false, endReason: '403' }] });
    await waitFor(() => expect(screen.getByTestId('monitor-status').textContent).toBe('Monitoring ended (the agent’s desktop refused the request)'));
    expect(screen.getByTestId('monitor-control').getAttribute('data-state')).toBe('idle');
    expect((screen.getByTestId('monitor-listen') as HTMLButtonElement).disabled).toBe(false);
  });

  it('tells the agent about a session when the policy allows it, in their language, and not otherwise', async () => {
    const f = fakeApi();
    detach = useMonitorStore.getState().attach(f.api);
    render(
      <I18nextProvider i18n={createI18n('zh-CN')}>
        <MonitorIndicator />
      </I18nextProvider>,
    );
    const agentSide = { id: 'a1', role: 'agent' as const, callId: 'c1', peer: 'sue', state: 'active' as const };
    f.push({ sessions: [{ ...agentSide, mode: 'whisper', indicator: true }] });
    await waitFor(() => expect(screen.getByTestId('monitor-indicator').textContent).toBe('主管正在指导您，客户听不到主管'));
    f.push({ sessions: [{ ...agentSide, mode: 'barge', indicator: false }] });
    await waitFor(() => expect(screen.queryByTestId('monitor-indicator')).toBeNull());
  });
});
