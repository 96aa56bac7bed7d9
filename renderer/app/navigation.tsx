import { CalendarOutlined, DashboardOutlined, InfoCircleOutlined, SettingOutlined, TeamOutlined, TagsOutlined } from '@ant-design/icons';
import type { UserRole } from '../../shared/sync/protocol';
import { lazy, type ReactNode } from 'react';
import { CustomersPage } from '../features/customer/CustomersPage';
import { SettingsPage } from '../features/settings/SettingsPage';

// Customers (the start page) and Settings (where a first run begins: SIP password, server sign-in)
// ship in the first bundle; the other pages are separate chunks fetched when first opened (Vite
// code splitting), so a cold start parses less.
const TicketsPage = lazy(() => import('../features/ticket/TicketsPage').then((m) => ({ default: m.TicketsPage })));
const MyDayPage = lazy(() => import('../features/myday/MyDayPage').then((m) => ({ default: m.MyDayPage })));
const SupervisorPage = lazy(() => import('../features/supervisor/SupervisorPage').then((m) => ({ default: m.SupervisorPage })));
const DiagnosticsPage = lazy(() => import('../features/diagnostics/DiagnosticsPage').then((m) => ({ default: m.DiagnosticsPage })));

/** One navigation entry: it exists only once its feature exists. */
export interface NavEntry {
  key: string;
  /** i18n key of the label. */
  labelKey: string;
  icon: ReactNode;
  /** The page; a lazily loaded one renders inside the shell's Suspense boundary. */
  render: () => ReactNode;
  /** Pinned to the bottom group (settings, diagnostics). */
  footer?: boolean;
  /** Only for these roles of the signed-in user (absent: everyone). The server enforces it too. */
  roles?: UserRole[];
}

/** The entries a user with `role` (null: not signed in to a server) sees. */
export function visibleEntries(role: UserRole | null): NavEntry[] {
  return NAV_ENTRIES.filter((e) => !e.roles || (role !== null && e.roles.includes(role)));
}

/** The app's pages in navigation order. Features add their entry here. */
export const NAV_ENTRIES: NavEntry[] = [
  { key: 'customers', labelKey: 'customers.nav', icon: <TeamOutlined />, render: () => <CustomersPage /> },
  { key: 'tickets', labelKey: 'workflow.nav.tickets', icon: <TagsOutlined />, render: () => <TicketsPage /> },
  { key: 'myday', labelKey: 'workflow.nav.myDay', icon: <CalendarOutlined />, render: () => <MyDayPage /> },
  { key: 'supervisor', labelKey: 'supervisor.nav', icon: <DashboardOutlined />, render: () => <SupervisorPage />, roles: ['supervisor', 'admin'] },
  { key: 'settings', labelKey: 'nav.settings', icon: <SettingOutlined />, render: () => <SettingsPage />, footer: true },
  { key: 'diagnostics', labelKey: 'nav.diagnostics', icon: <InfoCircleOutlined />, render: () => <DiagnosticsPage />, footer: true },
];
