// Debian Chromium driven by playwright-core: used by the end-to-end tests and `npm run demo:call`.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

/** Flags measured on these machines (shared/notes/platform.md): closed network, fake media devices. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
];

/** Path of Debian's Chromium; throws with the install command when it is missing. */
export function chromiumPath() {
  for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (fs.existsSync(p)) return p;
  throw new Error('Chromium is not installed: run bash scripts/install-test-deps.sh (apt-get install chromium)');
}

/** Launches headless Chromium with the fake microphone. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
