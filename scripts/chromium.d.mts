import type { Browser } from 'playwright-core';
/** Chromium flags for tests and the demo caller. */
export const CHROMIUM_ARGS: string[];
/** Path of Debian's Chromium. */
export function chromiumPath(): string;
/** Launches headless Chromium with the fake microphone. */
export function launchChromium(extraArgs?: string[]): Promise<Browser>;
