import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectBridge } from './api/bridge';
import { App } from './app/App';
import { createI18n } from './i18n/i18n';
import { startServices } from './app/startServices';
import './styles.css';

const i18n = createI18n(navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US');
const bridge = connectBridge(window);
const root = createRoot(document.getElementById('root')!);
if (bridge) {
  const services = startServices(bridge);
  // Exposed for diagnostics and end-to-end tests (RTP statistics of each call).
  (window as unknown as { calldeskMedia: unknown }).calldeskMedia = services.media.host;
  (window as unknown as { calldeskMonitor: unknown }).calldeskMonitor = services.media.mixer;
  root.render(
    <StrictMode>
      <App i18n={i18n} />
    </StrictMode>,
  );
} else {
  root.render(<p>{i18n.t('errors.DISCONNECTED')}</p>);
}
