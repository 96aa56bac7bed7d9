import { render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { CallCard } from '../../../../renderer/features/phone/CallCard';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCoreStore } from '../../../../renderer/stores/coreStore';
import { settingsSnapshot } from '../../../fakes/fakeWorkflowApi';
import { ringingCall } from '../../../fakes/callSnapshot';

const call = ringingCall({ headers: { 'X-Queue': 'vip', 'X-Branch': 'north' } });

const actions = { answer: vi.fn(), reject: vi.fn(), hangup: vi.fn(), hold: vi.fn(), resume: vi.fn(), mute: vi.fn(), dtmf: vi.fn(), transferBlind: vi.fn(), consult: vi.fn(), transferTo: vi.fn(), swap: vi.fn() };

describe('CallCard headers', { timeout: 20_000 }, () => {
  it('names a mapped header in the agent\'s language ("队列: vip"); the queue name stays as sent; unmapped headers lose X-', () => {
    useCoreStore.setState({ state: { ready: true, settings: settingsSnapshot() } });
    render(
      <I18nextProvider i18n={createI18n('zh-CN')}>
        <CallCard call={call} others={[]} actions={actions} />
      </I18nextProvider>,
    );
    expect(screen.getByTestId('call-header-X-Queue').textContent).toBe('队列: vip');
    expect(screen.getByTestId('call-header-X-Branch').textContent).toBe('Branch: north');
  });
});
