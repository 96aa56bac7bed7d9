import { CalendarOutlined, InfoCircleOutlined, SettingOutlined, TeamOutlined, TagsOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { CustomersPage } from '../features/customers/CustomersPage';
import { DiagnosticsPage } from '../features/diagnostics/DiagnosticsPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { MyDayPage } from '../features/myday/MyDayPage';
import { TicketsPage } from '../features/tickets/TicketsPage';

/** One navigation entry: it exists only once its feature exists. */
export interface NavEntry {
  key: string;
  /** i18n key of the label. */
  labelKey: string;
  icon: ReactNode;
  render: () => ReactNode;
  /** Pinned to the bottom group (settings, diagnostics). */
  footer?: boolean;
}

/** The app's pages in navigation order. Features add their entry here. */
export const NAV_ENTRIES: NavEntry[] = [
  { key: 'customers', labelKey: 'customers.nav', icon: <TeamOutlined />, render: () => <CustomersPage /> },
  { key: 'tickets', labelKey: 'workflow.nav.tickets', icon: <TagsOutlined />, render: () => <TicketsPage /> },
  { key: 'myday', labelKey: 'workflow.nav.myDay', icon: <CalendarOutlined />, render: () => <MyDayPage /> },
  { key: 'settings', labelKey: 'nav.settings', icon: <SettingOutlined />, render: () => <SettingsPage />, footer: true },
  { key: 'diagnostics', labelKey: 'nav.diagnostics', icon: <InfoCircleOutlined />, render: () => <DiagnosticsPage />, footer: true },
];
