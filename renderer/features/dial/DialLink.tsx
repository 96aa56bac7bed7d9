import { PhoneOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dialTarget } from './dial';

/** Props of {@link DialLink}. */
export interface DialLinkProps {
  /** The number as shown (raw as entered is fine: the core normalises it). */
  number: string;
  /** What is shown instead of the number. */
  label?: string;
  testId?: string;
}

/** A phone number that dials when clicked (click-to-dial). Use it for every number on screen. */
export function DialLink({ number, label, testId = 'dial-link' }: DialLinkProps) {
  const { t } = useTranslation();
  const onClick = (e: MouseEvent) => {
    e.stopPropagation();
    void dialTarget(number);
  };
  return (
    <Tooltip title={t('customers.dial.call', { number })} mouseEnterDelay={0.6}>
      <Button type="link" size="small" icon={<PhoneOutlined />} onClick={onClick} data-testid={testId} data-number={number} className="cd-dial-link">
        {label ?? number}
      </Button>
    </Tooltip>
  );
}
