// The simulated SIP peer page server: one definition shared with `npm run demo:call`.
export { startPeerServer } from '../../../scripts/sipPeerServer.mjs';
