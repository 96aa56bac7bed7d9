import { act, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncNotices } from '../../../../renderer/features/sync/SyncNotices';
import { createI18n } from '../../../../renderer/i18n/i18n';
import { useSyncStore } from '../../../../renderer/stores/syncStore';
import { fakeSyncApi, syncStateFixture, syncUserFixture } from '../../../fakes/fakeSyncApi';

let fake: ReturnType<typeof fakeSyncApi>;
let detach: () => void = () => undefined;

function renderNotices(locale: 'en-US' | 'zh-CN' = 'en-US') {
  render(
    <I18nextProvider i18n={createI18n(locale)}>
      <SyncNotices />
    </I18nextProvider>,
  );
}

describe('server decisions shown to the agent', { timeout: 20_000 }, () => {
  beforeEach(() => {
    useSyncStore.setState({ sync: null, notices: [] });
    fake = fakeSyncApi(syncStateFixture({ connection: 'online', user: syncUserFixture() }));
    detach = useSyncStore.getState().attach(fake.api);
  });
  afterEach(() => detach());

  it('a change that lost names the ticket and the fields the server kept; the notice is taken once', async () => {
    renderNotices();
    act(() => fake.notice({ kind: 'conflict', entity: 'ticket', id: 't-1', subject: 'Damaged parcel', fields: ['status', 'assignee'], reason: null }));
    await waitFor(() => expect(screen.getByText('Changed by someone else first: Damaged parcel')).toBeTruthy());
    expect(screen.getByText('The server kept their status, assignee. Your other changes are saved.')).toBeTruthy();
    expect(useSyncStore.getState().notices).toEqual([]);
  });

  it('a refusal gives the reason; an assignment says so, in Chinese too', async () => {
    renderNotices('zh-CN');
    act(() => fake.notice({ kind: 'rejected', entity: 'ticket', id: 't-2', subject: '退款', fields: [], reason: 'illegal-transition' }));
    act(() => fake.notice({ kind: 'assigned', entity: 'ticket', id: 't-3', subject: '发票重开', fields: ['assignee'], reason: null }));
    await waitFor(() => expect(screen.getByText('服务器未接受修改：退款')).toBeTruthy());
    expect(screen.getByText('记录当前状态下不允许此状态变更。')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('有工单分配给您')).toBeTruthy());
    expect(screen.getByText('发票重开')).toBeTruthy();
  });
});
