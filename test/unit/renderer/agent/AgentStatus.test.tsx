import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppStatusBar } from '../../../../renderer/app/AppStatusBar';
import { ShortcutLayer } from '../../../../renderer/app/useShortcuts';
import { AgentShortcuts } from '../../../../renderer/features/agent/AgentShortcuts';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useAgentStore } from '../../../../renderer/stores/agentStore';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { fail, ok } from '../../../../shared/api/result';
import { agentFixture, fakeWorkflowApi, settingsSnapshot } from '../../../fakes/fakeWorkflowApi';

let fake: ReturnType<typeof fakeWorkflowApi>;

function renderBar(lng: 'en-US' | 'zh-CN' = 'en-US') {
  return render(
    <I18nextProvider i18n={createI18n(lng)}>
      <AppStatusBar />
      <ShortcutLayer />
      <AgentShortcuts />
    </I18nextProvider>,
  );
}

beforeEach(async () => {
  fake = fakeWorkflowApi();
  useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() }, connection: 'connected' });
  fake.api.agent.state.mockResolvedValue(ok(agentFixture({ state: 'not-ready', reason: 'lunch', since: Date.now() - 125_000 })));
  useAgentStore.setState({ lastError: null });
  useAgentStore.getState().attach(fake.calldesk);
  await useAgentStore.getState().refresh();
});

describe('agent state in the status bar', { timeout: 20_000 }, () => {
  it('shows the state, the reason and the time in the state', () => {
    renderBar();
    const item = screen.getByTestId('status-agent');
    expect(item.textContent).toContain('Not ready');
    expect(item.textContent).toContain('Lunch');
    expect(screen.getByTestId('agent-timer').textContent).toMatch(/^2:0[5-6]$/);
    expect(screen.getByTestId('agent-state').getAttribute('data-state')).toBe('not-ready');
  });

  it('follows agent:state pushed by the core (missed call)', async () => {
    renderBar();
    act(() => fake.emit('agent:state', agentFixture({ state: 'not-ready', reason: 'missed-call', since: Date.now() })));
    await waitFor(() => expect(screen.getByTestId('agent-state').getAttribute('data-reason')).toBe('missed-call'));
    expect(screen.getByTestId('status-agent').textContent).toContain('Missed call');
  });

  it('switches with one click: ready, a configured not-ready reason, log out', async () => {
    renderBar();
    fireEvent.click(screen.getByTestId('agent-state'));
    fireEvent.click(await screen.findByTestId('agent-set-ready'));
    await waitFor(() => expect(fake.api.agent.setState).toHaveBeenCalledWith({ state: 'ready' }));
    fireEvent.click(screen.getByTestId('agent-state'));
    fireEvent.click(await screen.findByTestId('agent-set-not-ready-training'));
    await waitFor(() => expect(fake.api.agent.setState).toHaveBeenCalledWith({ state: 'not-ready', reason: 'training' }));
    fireEvent.click(screen.getByTestId('agent-state'));
    fireEvent.click(await screen.findByTestId('agent-set-logged-out'));
    await waitFor(() => expect(fake.api.agent.setState).toHaveBeenCalledWith({ state: 'logged-out' }));
    expect(screen.queryByTestId('agent-set-not-ready-missed-call')).toBeNull();
  });

  it('Alt+R toggles ready and not ready (first configured reason); a refusal is shown', async () => {
    renderBar();
    await act(async () => {
      fireEvent.keyDown(window, { key: 'r', code: 'KeyR', altKey: true });
    });
    expect(fake.api.agent.setState).toHaveBeenLastCalledWith({ state: 'ready' });
    act(() => useAgentStore.setState({ agent: agentFixture({ state: 'ready' }) }));
    fake.api.agent.setState.mockResolvedValueOnce(fail('INVALID_PAYLOAD', 'Unknown not-ready reason "break"'));
    await act(async () => {
      fireEvent.keyDown(window, { key: 'r', code: 'KeyR', altKey: true });
    });
    expect(fake.api.agent.setState).toHaveBeenLastCalledWith({ state: 'not-ready', reason: 'break' });
    expect((await screen.findByTestId('agent-error')).textContent).toBe('The request was not valid.');
  });

  it('renders in Chinese', () => {
    renderBar('zh-CN');
    expect(screen.getByTestId('status-agent').textContent).toContain('座席');
  });
});
