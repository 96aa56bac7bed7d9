import { render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { PhonePanel } from '../../../../renderer/features/phone/PhonePanel';
import { forgetCallerNames } from '../../../../renderer/features/phone/useCallerNames';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useCustomerStore } from '../../../../renderer/stores/customerStore';
import { usePhoneStore } from '../../../../renderer/stores/phoneStore';
import { ok } from '../../../../shared/api/result';
import type { CallSnapshot, PhoneState } from '../../../../shared/phone/call';
import { customerFixture, fakeCustomerApi, summaryOf } from '../../../fakes/fakeCustomerApi';
import { parseCallerIdentity } from '../../../../shared/phone-number/callerId';

function endedCall(id: string, number: string, direction: CallSnapshot['direction'] = 'inbound'): CallSnapshot {
  const t = Date.now() - 60_000;
  return {
    id,
    sipCallId: `sip-${id}`,
    direction,
    remote: { number, displayName: '', uri: `sip:${number}@calldesk.test`, source: 'from' },
    caller: parseCallerIdentity({ from: `<sip:${number}@calldesk.test>` }),
    state: 'ended',
    muted: false,
    remoteHold: false,
    waiting: false,
    times: { created: t, ringing: t, answered: t + 2000, ended: t + 30_000, holds: [] },
    headers: {},
    dtmfReceived: '',
    end: { reason: 'remote-hangup' },
  } as CallSnapshot;
}

let fake: ReturnType<typeof fakeCustomerApi>;

beforeEach(() => {
  forgetCallerNames();
  fake = fakeCustomerApi();
  useCustomerStore.setState({ pops: {}, popOrder: [], selectedPop: null });
  useCustomerStore.getState().attach(fake.api);
});

describe('recent calls', { timeout: 20_000 }, () => {
  it('show the customer name first and the number second: the pop\'s customer, else the one customer with that number', async () => {
    const liNa = customerFixture({ id: 5, name: '李娜' });
    const alice = customerFixture({ id: 6, name: 'Alice Smith' });
    fake.customer.lookupCaller.mockImplementation(async ({ number }: { number: string }) =>
      ok({ caller: { kind: 'number', e164: number, display: number, displayName: null }, matches: number === '+12125550123' ? [summaryOf(alice)] : [] }),
    );
    const calls = [endedCall('c1', '+8613800138000'), endedCall('c2', '+12125550123', 'outbound'), endedCall('c3', '+8613900000000')];
    usePhoneStore.setState({ phone: { registration: { state: 'registered', aor: 'sip:1001@x', since: 0, attempt: 0 }, calls, doNotDisturb: false, mediaReady: true } as unknown as PhoneState });
    useCustomerStore.getState().receivePop({
      callId: 'c1',
      trigger: 'ring',
      caller: { kind: 'number', e164: '+8613800138000', display: '138 0013 8000', displayName: null },
      headers: [],
      kind: 'match',
      matchedBy: 'phone',
      customer: liNa,
      insight: { daysSinceLastContact: 1, dormant: false, birthday: null },
    });
    render(
      <I18nextProvider i18n={createI18n('en-US')}>
        <PhonePanel />
      </I18nextProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('recent-call-name')).toHaveLength(2));
    const rows = screen.getAllByTestId('recent-call');
    const text = rows.map((r) => r.textContent ?? '');
    expect(text.find((x) => x.includes('李娜'))).toContain('+8613800138000');
    expect(text.find((x) => x.includes('Alice Smith'))).toContain('+12125550123');
    // No customer for that number: the number alone, as before.
    expect(text.filter((x) => x.includes('+8613900000000') && !x.includes('李娜') && !x.includes('Alice'))).toHaveLength(1);
    expect(fake.customer.lookupCaller).not.toHaveBeenCalledWith({ number: '+8613800138000' });
  });
});
