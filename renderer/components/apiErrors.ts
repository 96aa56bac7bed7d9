import type { TFunction, i18n as I18n } from 'i18next';
import type { ApiError } from '../../shared/api/result';

/** Problems by field name (dotted path as in the request, e.g. `createTicket.subject`). */
export type FieldErrors = Record<string, string>;

interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/** The translated text of an API error, with the core's own message when it adds something. */
export function apiErrorText(error: ApiError, t: TFunction): string {
  const known = t(`errors.${error.code}`, { defaultValue: '' });
  return known ? `${known} ${error.message}` : error.message;
}

/** The message for a missing field: translated for fields the workflow knows, else the core's message. */
function missingText(i18n: I18n, t: TFunction, field: string, fallback: string): string {
  const last = field.split('.').pop() ?? field;
  const key = `workflow.missingField.${last}`;
  return i18n.exists(key) ? t(key) : fallback;
}

/** Field problems from zod issues (the renderer's own check with the shared schema). */
export function issuesToFields(issues: readonly IssueLike[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const key = i.path.map(String).join('.') || '(payload)';
    out[key] ??= i.message;
  }
  return out;
}

/**
 * Field problems of a refused request: `MISSING_FIELD` and `INVALID_PAYLOAD` with `details.field`
 * (policy checks), and the `details.issues` strings (`"path: message"`) of the payload check.
 * Empty when the error names no field (show it as a form error then).
 */
export function fieldErrors(error: ApiError, i18n: I18n, t: TFunction, prefix = ''): FieldErrors {
  const details = (error.details ?? {}) as { field?: unknown; issues?: unknown };
  const out: FieldErrors = {};
  if (typeof details.field === 'string') {
    const field = `${prefix}${details.field}`;
    out[field] = error.code === 'MISSING_FIELD' ? missingText(i18n, t, details.field, error.message) : error.message;
  }
  if (Array.isArray(details.issues)) {
    for (const issue of details.issues) {
      if (typeof issue !== 'string') continue;
      const at = issue.indexOf(': ');
      if (at < 0) continue;
      out[issue.slice(0, at)] ??= issue.slice(at + 2);
    }
  }
  return out;
}
