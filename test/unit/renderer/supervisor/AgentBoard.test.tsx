import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import type { AgentBoardRow } from '../../../../shared/kpi/board';
import { AgentBoard } from '../../../../renderer/features/supervisor/AgentBoard';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useMonitorStore } from '../../../../renderer/stores/monitorStore';

const NOW = Date.UTC(2026, 11, 3, 8);

function row(id: string, patch: Partial<AgentBoardRow> = {}): AgentBoardRow {
  return { id, name: `Agent ${id}`, team: 'north', state: 'on-call', reason: null, since: NOW - 60_000, callsToday: 3, ahtTodayMs: 200_000, occupancy: 0.5, queues: ['sales'], currentCall: null, extension: id, ...patch };
}

describe('AgentBoard', () => {
  it('offers listen / whisper / barge on an agent\'s call in progress: the token names the agent and their desktop\'s call, the leg rings their SIP user', async () => {
    const requestToken = vi.fn(async () => 'signed-token');
    const start = vi.fn(async () => null);
    useMonitorStore.setState({ requestToken, start });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <AgentBoard
          now={NOW}
          rows={[
            row('agent-7', { extension: '8007', currentCall: { id: 'call-42', state: 'active', since: NOW - 30_000, remote: '+8613800000000' } }),
            row('agent-8', { currentCall: { id: 'call-43', state: 'ringing', since: NOW - 5_000, remote: null } }),
            row('agent-9', { state: 'not-ready', reason: 'lunch' }),
          ]}
        />
      </I18nextProvider>,
    );
    // A built-in not-ready reason is shown in words, not as its code.
    expect(screen.getByText('Lunch')).toBeTruthy();
    const controls = screen.getAllByTestId('monitor-control');
    // Only the call in progress can be monitored: not a ringing one, not an idle agent.
    expect(controls).toHaveLength(1);
    expect(controls[0]!.getAttribute('data-agent')).toBe('8007');
    await userEvent.click(within(controls[0]!).getByTestId('monitor-listen'));
    await waitFor(() => expect(start).toHaveBeenCalledWith('8007', 'signed-token', 'listen'));
    expect(requestToken).toHaveBeenCalledWith('agent-7', 'call-42');
  });
});
