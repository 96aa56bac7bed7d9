import type { CustomerLevel, CustomerStatus, LifecycleStage } from '../../shared/customer/schema';

/** Tag colour of each service tier. */
export const LEVEL_COLOR: Record<CustomerLevel, string> = {
  standard: 'default',
  silver: 'geekblue',
  gold: 'gold',
  platinum: 'purple',
  vip: 'magenta',
};

/** Tag colour of each sales status. */
export const STATUS_COLOR: Record<CustomerStatus, string> = {
  potential: 'default',
  intent: 'cyan',
  'following-up': 'blue',
  contracted: 'green',
  invalid: 'red',
};

/** Tag colour of each lifecycle stage. */
export const LIFECYCLE_COLOR: Record<LifecycleStage, string> = {
  acquisition: 'cyan',
  growth: 'green',
  maturity: 'blue',
  decline: 'orange',
  lapsed: 'red',
};

/** First letter (or character) of a name, for an avatar. */
export function initialOf(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? '?';
}

/** A number with grouping in the UI language (lifetime value, points). */
export function formatAmount(value: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(value);
}
