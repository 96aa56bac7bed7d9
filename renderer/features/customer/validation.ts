import type { TFunction } from 'i18next';
import type { ApiError } from '../../../shared/api/result';
import { customerSaveSchema, SEARCH_QUERY_MAX, type CustomerSaveInput } from '../../../shared/customer/schema';

/** One field problem: `path` as antd Form names it (`['phones', 1, 'raw']`) and a translated message. */
export interface FieldProblem {
  name: (string | number)[];
  message: string;
}

interface IssueLike {
  code?: string;
  path: PropertyKey[];
  message: string;
  minimum?: unknown;
  maximum?: unknown;
  origin?: string;
}

function toName(path: readonly PropertyKey[] | string): (string | number)[] {
  const parts = typeof path === 'string' ? path.split('.') : path.map(String);
  return parts.filter((p) => p !== '' && p !== '(record)').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Translates one zod issue for a customer field into the agent's language. */
function issueMessage(issue: IssueLike, t: TFunction): string {
  const name = toName(issue.path);
  const field = name[name.length - 1];
  const parent = name[0];
  if (field === 'birthday') return t('customers.validation.birthday');
  if (field === 'code') return issue.code === 'too_big' ? t('customers.validation.tooLong', { max: issue.maximum }) : t('customers.validation.code');
  if (field === 'preferredLanguage') return t('customers.validation.language');
  if (parent === 'emails' && field === 'address') return t('customers.validation.email');
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return t('customers.validation.required');
      return t('customers.validation.tooSmall', { min: issue.minimum });
    case 'too_big':
      return issue.origin === 'string' ? t('customers.validation.tooLong', { max: issue.maximum }) : t('customers.validation.tooLarge', { max: issue.maximum });
    default:
      return t('customers.validation.invalid');
  }
}

/** Validates a save request in the renderer with the shared schema: problems per field, or none. */
export function validateCustomer(input: CustomerSaveInput, t: TFunction): FieldProblem[] {
  const parsed = customerSaveSchema.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ name: toName(issue.path), message: issueMessage(issue as IssueLike, t) }));
}

/**
 * The field problems the core reported for a refused save (`details.issues`, as `{ path, message }`
 * from the customer service or `"path: message"` strings from the payload check). An unreadable
 * phone number gets a translated message naming the number; other messages are shown as sent.
 */
export function serverProblems(error: ApiError, t: TFunction): FieldProblem[] {
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    let path: string;
    let message: string;
    if (typeof issue === 'string') {
      const i = issue.indexOf(': ');
      if (i < 0) continue;
      path = issue.slice(0, i);
      message = issue.slice(i + 2);
    } else if (issue && typeof issue === 'object' && typeof (issue as { path?: unknown }).path === 'string') {
      path = (issue as { path: string }).path;
      message = String((issue as { message?: unknown }).message ?? '');
    } else continue;
    const name = toName(path);
    const phone = name[0] === 'phones' && name[2] === 'raw' ? /^"(.*)"/.exec(message) : null;
    out.push({ name, message: phone ? t('customers.validation.phone', { value: phone[1] }) : message });
  }
  return out;
}

/**
 * What a failed search says: a sentence for the agent, never the validator's own text (the box
 * already stops at {@link SEARCH_QUERY_MAX} characters, so this is rare).
 */
export function searchErrorText(error: ApiError, t: TFunction): string {
  if (error.code === 'INVALID_PAYLOAD') return t('customers.search.invalid', { max: SEARCH_QUERY_MAX });
  return t(`errors.${error.code}`, { defaultValue: '' }) || t('customers.search.failed');
}

/** The translated text of an API error, with the core's own message when it adds something. */
export function errorText(error: ApiError, t: TFunction): string {
  const known = t(`errors.${error.code}`, { defaultValue: '' });
  return known ? `${known} ${error.message}` : error.message;
}
