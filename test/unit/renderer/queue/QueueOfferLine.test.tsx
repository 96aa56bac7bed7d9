import { render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { CallCard } from '../../../../renderer/features/phone/CallCard';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import type { CallSnapshot } from '../../../../shared/phone/call';
import { settingsSnapshot } from '../../../fakes/fakeWorkflowApi';
import { callCardActions, ringingCall } from '../../../fakes/callSnapshot';

const base = ringingCall();

const actions = callCardActions();

function renderCard(call: CallSnapshot, lang: 'en-US' | 'zh-CN') {
  useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
  return render(
    <I18nextProvider i18n={createI18n(lang)}>
      <CallCard call={call} others={[]} actions={actions} />
    </I18nextProvider>,
  );
}

describe('the ringing card of a queue call', { timeout: 20_000 }, () => {
  it('shows the queue, the VIP mark, why the call was routed to this agent and the wait (en-US)', () => {
    renderCard({ ...base, queue: { queueId: 'sales', queueName: 'Sales', reason: 'owner', vip: true, waitedMs: 65_000 } }, 'en-US');
    expect(screen.getByTestId('call-queue').textContent).toContain('Sales queue');
    expect(screen.getByTestId('call-queue-vip').textContent).toBe('VIP caller');
    expect(screen.getByTestId('call-queue-reason').textContent).toBe('Routed to you: you own this customer · waited 1:05');
  });

  it('says it in Chinese, and a plain call has no queue line', () => {
    const { unmount } = renderCard({ ...base, queue: { queueId: 'support', queueName: '售后', reason: 'skill', vip: false, waitedMs: 3000 } }, 'zh-CN');
    expect(screen.getByTestId('call-queue').textContent).toContain('售后队列');
    expect(screen.queryByTestId('call-queue-vip')).toBeNull();
    expect(screen.getByTestId('call-queue-reason').textContent).toBe('分配给您：当前可用的最高技能等级 · 已等待 0:03');
    unmount();
    renderCard(base, 'en-US');
    expect(screen.queryByTestId('call-queue')).toBeNull();
  });
});
