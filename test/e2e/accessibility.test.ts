import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgent, type Agent } from '../helpers/agentPage';
import { failingNodes, runAxe, WCAG_TAGS, type AxeFailure } from '../helpers/axe';
import { LANGUAGES, STATIC_SCREENS, THEMES, seedTicketAndTask, setLook, shoot, walkCall, type Look } from '../helpers/agentScreens';
import type { SipPeer } from '../helpers/sipPeer/driver';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

// axe-core over the built renderer in Chromium: every screen and state an agent meets (issue 16), in
// both languages and both themes, must pass the WCAG 2.1 A/AA rules. The report is printed.

const VIEWPORT = { width: 1366, height: 768 };
let rig: TelephonyRig;
let agent: Agent;
let caller: SipPeer;
const report: { look: string; screen: string; failures: AxeFailure[] }[] = [];

beforeAll(async () => {
  rig = await startTelephonyRig();
  agent = await openAgent(rig.browser, {
    wsUrl: rig.pbx.wsUrl,
    user: '1001',
    password: 'pw1001',
    env: { CALLDESK_DEMO: '1', CALLDESK_DEMO_CUSTOMERS: '30', CALLDESK_WRAPUP_MODE: 'time-boxed', CALLDESK_WRAPUP_SECONDS: '600' },
  });
  await agent.page.setViewportSize(VIEWPORT);
  await seedTicketAndTask(agent.page);
  caller = await rig.customer('2001');
}, 120_000);
afterAll(async () => {
  const lines = report.map((r) => `AXE ${r.look.padEnd(14)} ${r.screen.padEnd(20)} ${String(failingNodes(r.failures)).padStart(4)} failing elements${r.failures.length ? ': ' + r.failures.map((f) => `${f.rule} x${f.targets.length}`).join(', ') : ''}`);
  const total = report.reduce((n, r) => n + failingNodes(r.failures), 0);
  const details = report.flatMap((r) => r.failures.map((f) => `  ${r.look} / ${r.screen} / ${f.rule} (${f.impact}): ${f.help}\n    ${f.targets.join('\n    ')}\n    ${f.detail}`));
  console.log(`axe-core ${WCAG_TAGS.join(', ')} over ${report.length} screen x language x theme combinations: ${total} failing elements\n${lines.join('\n')}${details.length ? '\n' + details.join('\n') : ''}`);
  await caller?.close();
  await agent?.close();
  await rig?.close();
});

async function check(look: Look, screen: string): Promise<void> {
  // The page as it rests: no control under the mouse pointer (hover colours), transitions over.
  await agent.page.mouse.move(1, 1);
  await agent.page.waitForTimeout(300);
  const failures = await runAxe(agent.page);
  report.push({ look: `${look.language}/${look.theme}`, screen, failures });
  await shoot(agent.page, look, screen, VIEWPORT);
}

describe('accessibility: axe-core WCAG 2.1 A/AA on every screen, both languages, both themes', () => {
  for (const language of LANGUAGES) {
    for (const theme of THEMES) {
      const look: Look = { language, theme };
      it(`${language} ${theme}: no violations on the pages, drawers, help, and a call (ringing, active, wrap-up)`, async () => {
        const page = agent.page;
        await setLook(page, look);
        const start = report.length;
        for (const screen of STATIC_SCREENS) {
          await screen.show(page);
          await check(look, screen.name);
          await screen.leave?.(page);
        }
        await walkCall(page, caller, '1001', (screen) => check(look, screen));
        const mine = report.slice(start);
        expect(mine.map((r) => r.screen)).toHaveLength(STATIC_SCREENS.length + 3);
        expect(mine.filter((r) => r.failures.length > 0).map((r) => `${r.screen}: ${r.failures.map((f) => `${f.rule} x${f.targets.length}`).join(', ')}`)).toEqual([]);
      }, 300_000);
    }
  }
});
