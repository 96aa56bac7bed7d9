// Chromium for the end-to-end tests: one definition shared with `npm run demo:call`.
export { CHROMIUM_ARGS, chromiumPath, launchChromium } from '../../scripts/chromium.mjs';
