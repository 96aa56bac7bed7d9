import { Badge, Space, Typography } from 'antd';
import type { ReactNode } from 'react';

/** One item of the status bar. */
export interface StatusItem {
  key: string;
  label: string;
  value: ReactNode;
  tone: 'success' | 'processing' | 'warning' | 'error' | 'default';
  testId?: string;
}

/** The persistent status bar at the bottom of the window: connection, registration, agent, sync. */
export function StatusBar({ items, right }: { items: StatusItem[]; right?: ReactNode }) {
  return (
    <div className="cd-statusbar" role="status" aria-live="polite">
      <Space size="large">
        {items.map((item) => (
          <span key={item.key} data-testid={item.testId}>
            <Badge status={item.tone} />
            <Typography.Text type="secondary">{item.label}:</Typography.Text> <Typography.Text>{item.value}</Typography.Text>
          </span>
        ))}
      </Space>
      <span>{right}</span>
    </div>
  );
}
