import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The WCAG 2.1 A and AA rule tags the app must pass (issue 16). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

/**
 * Nodes axe may report that are internals of third-party components we cannot change, each with the
 * reason. Keep this list short: anything we render ourselves is fixed at its cause instead.
 */
export const AXE_ALLOW_LIST: { rule: string; selector: RegExp; reason: string }[] = [];

/** One rule failure on one screen: the rule, its impact and the elements (CSS selectors) failing it. */
export interface AxeFailure {
  rule: string;
  impact: string | null;
  help: string;
  targets: string[];
  /** axe's own explanation for the first failing element (contrast figures, missing name...). */
  detail: string;
}

const require = createRequire(import.meta.url);
let axeSource: string | null = null;

/** Runs axe-core (WCAG 2.1 A/AA rules) over the whole page and returns what fails, minus the allow-list. */
export async function runAxe(page: Page): Promise<AxeFailure[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') stays as shipped.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const raw = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string; failureSummary?: string; any: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } | null }[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => {
        const d = n.any.find((a) => a.data?.fgColor)?.data;
        const text = (document.querySelector(String(n.target[0]))?.textContent ?? '').trim().slice(0, 24);
        return `${n.target.map(String).join(' ')}${d ? ` [${d.fgColor} on ${d.bgColor} = ${d.contrastRatio}] "${text}"` : ` in ${document.querySelector(String(n.target[0]))?.parentElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? '?'}: ${n.html.slice(0, 160)}`}`;
      }),
      detail: (v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
    }));
  }, [...WCAG_TAGS]);
  return raw
    .map((v) => ({ ...v, targets: v.targets.filter((t) => !AXE_ALLOW_LIST.some((a) => a.rule === v.rule && a.selector.test(t))) }))
    .filter((v) => v.targets.length > 0);
}

/** Number of failing elements over a list of failures. */
export function failingNodes(failures: AxeFailure[]): number {
  return failures.reduce((n, f) => n + f.targets.length, 0);
}
