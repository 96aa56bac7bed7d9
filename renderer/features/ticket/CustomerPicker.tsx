import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomerStore } from '../../stores/customerStore';

/** Props of {@link CustomerPicker}. */
export interface CustomerPickerProps {
  value: number | null;
  /** The name of `value` when known (prefill), so it shows before any search. */
  valueName?: string;
  onChange(id: number | null, name: string): void;
  testId: string;
  placeholder?: string;
  style?: React.CSSProperties;
}

/** A customer chosen by searching name, company, code or phone (debounced). */
export function CustomerPicker({ value, valueName, onChange, testId, placeholder, style }: CustomerPickerProps) {
  const { t } = useTranslation();
  const searchOnce = useCustomerStore((s) => s.searchOnce);
  const [options, setOptions] = useState<{ value: number; label: string }[]>(value !== null && valueName ? [{ value, label: valueName }] : []);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seq = useRef(0);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  useEffect(() => {
    if (value !== null && valueName) setOptions((o) => (o.some((x) => x.value === value) ? o : [{ value, label: valueName }, ...o]));
  }, [value, valueName]);
  const search = (query: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const mine = ++seq.current;
      setLoading(true);
      void searchOnce({ query, limit: 20 }).then((r) => {
        if (mine !== seq.current) return;
        setLoading(false);
        if (r.ok) setOptions(r.value.items.map((c) => ({ value: c.id, label: c.company ? `${c.name} · ${c.company}` : `${c.name} · ${c.code}` })));
      });
    }, 250);
  };
  return (
    <Select
      aria-label={t('workflow.tickets.customer')}
      showSearch={{ filterOption: false, onSearch: search }}
      allowClear
      loading={loading}
      value={value ?? undefined}
      placeholder={placeholder ?? t('workflow.tickets.customerPlaceholder')}
      options={options}
      onChange={(id?: number) => onChange(id ?? null, options.find((o) => o.value === id)?.label ?? '')}
      onFocus={() => options.length === 0 && search('')}
      optionRender={(o) => <span data-testid={`${testId}-option-${String(o.value)}`}>{o.label}</span>}
      data-testid={testId}
      style={style ?? { width: '100%' }}
    />
  );
}
