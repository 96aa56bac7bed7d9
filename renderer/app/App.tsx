import { ConfigProvider, Layout, Menu, Result as AntResult, Spin, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { i18n } from 'i18next';
import { Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { settingValue } from '../../shared/settings/definitions';
import { applyLanguage } from '../i18n/i18n';
import { useCoreStore } from '../stores/coreStore';
import { CustomerDrawer } from '../features/customer/CustomerDrawer';
import { ScreenPop } from '../features/customer/ScreenPop';
import { DialPrompt } from '../features/dial/DialPrompt';
import { PhonePanel } from '../features/phone/PhonePanel';
import { RingerController } from '../features/phone/RingerController';
import { ReminderNotifier } from '../features/myday/ReminderNotifier';
import { TicketCreateModal } from '../features/ticket/TicketCreateModal';
import { OpenTicketDrawer } from '../features/ticket/TicketDrawer';
import { AgentShortcuts } from '../features/agent/AgentShortcuts';
import { WrapUpPanel } from '../features/wrapup/WrapUpPanel';
import { SyncProgress } from '../features/sync/SyncProgress';
import { SyncNotices } from '../features/sync/SyncNotices';
import { UpdateBanner } from '../features/update/UpdateBanner';
import { LiveAnnouncer } from '../features/a11y/LiveAnnouncer';
import { AppStatusBar } from './AppStatusBar';
import { DRAWER_HOST_ID } from './drawerHost';
import { ShortcutLayer } from './useShortcuts';
import { appTheme } from './theme';
import { NAV_ENTRIES, visibleEntries } from './navigation';
import { useSyncStore } from '../stores/syncStore';

function Shell() {
  const { t } = useTranslation();
  const [page, setPage] = useState(NAV_ENTRIES[0]?.key ?? 'settings');
  const [collapsed, setCollapsed] = useState(false);
  const role = useSyncStore((s) => s.sync?.user?.role ?? null);
  const entries = visibleEntries(role);
  const entry = entries.find((e) => e.key === page) ?? entries[0];
  const items = (footer: boolean) =>
    entries.filter((e) => !!e.footer === footer).map((e) => ({ key: e.key, icon: e.icon, label: t(e.labelKey), 'data-testid': `nav-${e.key}` }));
  return (
    <Layout className="cd-shell">
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={200} theme="light" className="cd-sider">
        <div className="cd-brand">{collapsed ? 'CD' : t('app.name')}</div>
        <Menu mode="inline" selectedKeys={[page]} items={items(false)} onClick={(e) => setPage(e.key)} />
        <Menu mode="inline" selectedKeys={[page]} items={items(true)} onClick={(e) => setPage(e.key)} className="cd-menu-footer" />
      </Layout.Sider>
      <Layout>
        <div className="cd-main">
          <div className="cd-work" id={DRAWER_HOST_ID}>
            <Layout.Content className="cd-content">
              <SyncProgress />
              <SyncNotices />
              <UpdateBanner />
              <WrapUpPanel />
              <ScreenPop />
              <Suspense fallback={<Spin className="cd-page-loading" />}>{entry?.render()}</Suspense>
            </Layout.Content>
          </div>
          <PhonePanel />
        </div>
        <AppStatusBar />
        <RingerController />
        <ShortcutLayer />
        <CustomerDrawer />
        <DialPrompt />
        <TicketCreateModal />
        <OpenTicketDrawer />
        <ReminderNotifier />
        <AgentShortcuts />
        <LiveAnnouncer />
      </Layout>
    </Layout>
  );
}

/** Root component: antd theme + locale from settings, i18n, and the shell once the core answers. */
export function App({ i18n }: { i18n: i18n }) {
  const state = useCoreStore((s) => s.state);
  const info = useCoreStore((s) => s.info);
  const language = state ? settingValue(state.settings, 'ui.language') : 'system';
  const themeName = state ? settingValue(state.settings, 'ui.theme') : 'light';
  const compact = state ? settingValue(state.settings, 'ui.compact') : true;
  // In the browser host the user's OS locale is the browser's; in Electron the core reports it.
  const osLocale = info?.host === 'electron' ? info.locale : navigator.language;
  const [lng, setLng] = useState(() => applyLanguage(i18n, language, osLocale));
  useEffect(() => setLng(applyLanguage(i18n, language, osLocale)), [i18n, language, osLocale]);
  // The page's own CSS (borders, status bar, focus ring) follows the theme through this attribute.
  useEffect(() => {
    document.documentElement.dataset.theme = themeName;
  }, [themeName]);
  const themeConfig = useMemo(() => appTheme(themeName, compact), [themeName, compact]);
  return (
    <I18nextProvider i18n={i18n}>
      <AntdConfig lng={lng} theme={themeConfig}>
        {state ? <Shell /> : <Loading />}
      </AntdConfig>
    </I18nextProvider>
  );
}

/** The antd configuration of the app: locale, theme, and buttons written as given. */
export function AntdConfig({ lng, algorithm, theme, children }: { lng: string; algorithm?: ThemeConfig['algorithm']; theme?: ThemeConfig; children: ReactNode }) {
  return (
    <ConfigProvider
      locale={lng === 'zh-CN' ? zhCN : enUS}
      theme={theme ?? { algorithm, token: { colorPrimary: '#1668dc', borderRadius: 4 } }}
      // antd spaces out two-character CJK button labels (拒 接, 登 录): keep them as written.
      button={{ autoInsertSpace: false }}
    >
      {children}
    </ConfigProvider>
  );
}

function Loading() {
  const { t } = useTranslation();
  const connection = useCoreStore((s) => s.connection);
  if (connection === 'disconnected') return <AntResult status="warning" title={t('errors.DISCONNECTED')} />;
  return (
    <div className="cd-loading">
      <Spin /> {t('app.loading')}
    </div>
  );
}
