import type { TFunction, i18n as I18n } from 'i18next';
import type { AgentState, NotReadyReason } from '../../shared/agent/state';
import type { DispositionGroup } from '../../shared/agent/wrapup';
import type { TicketPriority, TicketStatus, TicketType } from '../../shared/ticket/ticket';

/** A configured label, else the translation of a built-in code, else the code itself. */
function codeLabel(i18n: I18n, t: TFunction, prefix: string, code: string, label?: string): string {
  if (label) return label;
  const key = `${prefix}.${code}`;
  return i18n.exists(key) ? t(key) : code;
}

/** The label of a not-ready reason code. */
export function reasonLabel(i18n: I18n, t: TFunction, code: string, reasons: readonly NotReadyReason[] = []): string {
  return codeLabel(i18n, t, 'workflow.notReady', code, reasons.find((r) => r.code === code)?.label);
}

/** The label of a disposition code. */
export function dispositionLabel(i18n: I18n, t: TFunction, code: string, groups: readonly DispositionGroup[] = []): string {
  const d = groups.flatMap((g) => g.dispositions).find((x) => x.code === code);
  return codeLabel(i18n, t, 'workflow.disposition', code, d?.label);
}

/** The label of a disposition group. */
export function dispositionGroupLabel(i18n: I18n, t: TFunction, group: DispositionGroup): string {
  return codeLabel(i18n, t, 'workflow.dispositionGroup', group.code, group.label);
}

/** The label of a ticket category (built-in categories are translated). */
export function categoryLabel(i18n: I18n, t: TFunction, code: string): string {
  return codeLabel(i18n, t, 'workflow.ticketCategory', code);
}

/** Status-bar tone of each agent state. */
export const AGENT_TONE: Record<AgentState, 'success' | 'processing' | 'warning' | 'error' | 'default'> = {
  'logged-out': 'default',
  ready: 'success',
  'not-ready': 'warning',
  ringing: 'processing',
  'on-call': 'processing',
  'wrap-up': 'warning',
};

/** Tag colour of each ticket priority. */
export const PRIORITY_COLOR: Record<TicketPriority, string> = { P1: 'red', P2: 'volcano', P3: 'blue', P4: 'default' };

/** Tag colour of each ticket status. */
export const STATUS_COLOR: Record<TicketStatus, string> = { new: 'cyan', open: 'blue', pending: 'gold', resolved: 'green', closed: 'default' };

/** Tag colour of each ticket type. */
export const TYPE_COLOR: Record<TicketType, string> = { complaint: 'magenta', inquiry: 'geekblue', 'service-request': 'purple', feedback: 'lime' };

/** A short form of a record id for tables (`T-1a2b3c`). */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(0, 6).toUpperCase();
}

/** "in 3 h 20 min" / "2 h 5 min ago", coarse: d+h, h+min, or min. */
export function relativeDuration(ms: number): { days: number; hours: number; minutes: number } {
  const total = Math.floor(Math.abs(ms) / 60_000);
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}
