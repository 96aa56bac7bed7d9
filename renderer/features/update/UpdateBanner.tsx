import { Alert, Button, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateState } from '../../../shared/update/api';
import { useCoreStore } from '../../stores/coreStore';

/**
 * A downloaded update asks the agent when they are idle (never during a call or wrap-up): install
 * now (CallDesk restarts) or later, while postpones are left. With none left it installs by itself
 * at the next idle moment, which the banner says beforehand.
 */
export function UpdateBanner() {
  const { t } = useTranslation();
  const api = useCoreStore((s) => s.api);
  const [state, setState] = useState<UpdateState | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!api) return;
    let live = true;
    void api.update.state().then((r) => live && r.ok && setState(r.value));
    const off = api.update.onState((s) => setState(s));
    return () => {
      live = false;
      off();
    };
  }, [api]);
  if (!api || !state || state.phase !== 'ready' || !state.available) return null;
  const act = async (call: () => Promise<{ ok: boolean; value?: UpdateState }>) => {
    setBusy(true);
    const r = await call();
    setBusy(false);
    if (r.ok && r.value) setState(r.value);
  };
  const version = state.available;
  if (state.timing === 'wait') {
    return <Alert type="info" showIcon data-testid="update-banner" data-timing="wait" message={t('update.waiting', { version })} style={{ marginBottom: 12 }} />;
  }
  return (
    <Alert
      type="success"
      showIcon
      data-testid="update-banner"
      data-timing={state.timing ?? ''}
      style={{ marginBottom: 12 }}
      message={t('update.ready', { version })}
      description={state.postponesLeft > 0 ? t('update.postponesLeft', { count: state.postponesLeft }) : t('update.noPostponeLeft')}
      action={
        <Space>
          <Button type="primary" size="small" loading={busy} onClick={() => void act(() => api.update.install())}>
            {t('update.installNow')}
          </Button>
          {state.postponesLeft > 0 && (
            <Button size="small" disabled={busy} onClick={() => void act(() => api.update.postpone())}>
              {t('update.later')}
            </Button>
          )}
        </Space>
      }
    />
  );
}
