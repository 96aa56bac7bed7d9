import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../shared/api/result';
import { apiErrorText, fieldErrors, issuesToFields, type FieldErrors } from '../../components/apiErrors';

/**
 * The state every request form shares: problems by field, a form-level error, a busy flag, and
 * `send`, which maps a refusal onto the fields it names (or onto the form when it names none).
 */
export function useRequestForm() {
  const { t, i18n } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Sends a request; resolves to its value, or null when it was refused (errors are shown). */
  const send = async <T>(request: () => Promise<Result<T>>): Promise<T | null> => {
    setErrors({});
    setFormError(null);
    setBusy(true);
    const r = await request();
    setBusy(false);
    if (r.ok) return r.value;
    const fields = fieldErrors(r.error, i18n, t);
    setErrors(fields);
    if (Object.keys(fields).length === 0) setFormError(apiErrorText(r.error, t));
    return null;
  };

  /** Shows the shared schema's complaints at their fields (checked before sending). */
  const invalid = (issues: Parameters<typeof issuesToFields>[0]) => setErrors(issuesToFields(issues));

  /** Form.Item props for a field with a problem. */
  const status = (field: string) => (errors[field] ? { validateStatus: 'error' as const, help: errors[field] } : {});

  return { errors, setErrors, formError, setFormError, busy, send, invalid, status };
}
