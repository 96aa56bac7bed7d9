import { PhoneOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useDialStore } from '../../stores/dialStore';
import { callLinkFromLocation } from './callLinks';
import { dialTarget } from './dial';

/**
 * Asks the agent to confirm a call link: `?dial=tel:...` given to the browser host on load, or a
 * link offered by the desktop shell (`useDialStore.getState().offer(url)`). The parameter is
 * removed from the address so a reload does not ask again.
 */
export function DialPrompt() {
  const { t } = useTranslation();
  const pending = useDialStore((s) => s.pending);
  const rejected = useDialStore((s) => s.rejected);
  const clear = useDialStore((s) => s.clear);
  useEffect(() => {
    const link = callLinkFromLocation(window.location.search);
    if (!link) return;
    useDialStore.getState().offer(link);
    const url = new URL(window.location.href);
    url.searchParams.delete('dial');
    url.searchParams.delete('call');
    window.history.replaceState(window.history.state, '', url.toString());
  }, []);
  return (
    <>
      <Modal
        open={pending !== null}
        title={t('customers.dial.promptTitle')}
        onCancel={clear}
        footer={[
          <Button key="cancel" onClick={clear} data-testid="dial-prompt-cancel">
            {t('customers.dial.cancel')}
          </Button>,
          <Button
            key="ok"
            type="primary"
            icon={<PhoneOutlined />}
            data-testid="dial-prompt-ok"
            onClick={() => {
              if (pending) void dialTarget(pending);
              clear();
            }}
          >
            {t('customers.dial.confirm')}
          </Button>,
        ]}
        destroyOnHidden
      >
        <div data-testid="dial-prompt">
          <Typography.Text>{t('customers.dial.promptBody')}</Typography.Text>{' '}
          <Typography.Text strong copyable data-testid="dial-prompt-target">
            {pending}
          </Typography.Text>
        </div>
      </Modal>
      {rejected !== null && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={clear}
          title={t('customers.dial.badLink', { link: rejected })}
          data-testid="dial-prompt-rejected"
          className="cd-dial-rejected"
        />
      )}
    </>
  );
}
