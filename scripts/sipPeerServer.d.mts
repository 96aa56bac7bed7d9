/** Builds and serves the simulated SIP peer page on 127.0.0.1. */
export function startPeerServer(): Promise<{ url: string; close(): Promise<void> }>;
