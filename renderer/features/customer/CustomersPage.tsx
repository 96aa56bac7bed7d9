import { DownloadOutlined, ImportOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Dropdown, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { CSV_EXPORT_ENCODINGS } from '../../../shared/customer/csv';
import {
  CUSTOMER_LEVELS,
  CUSTOMER_SOURCES,
  CUSTOMER_STATUSES,
  CUSTOMER_TYPES,
  LIFECYCLE_STAGES,
  SEARCH_QUERY_MAX,
  type CustomerFilters,
  type CustomerSummary,
} from '../../../shared/customer/schema';
import { fitColumns, useElementWidth, type FittableColumn } from '../../components/fitColumns';
import { openableRow } from '../../components/openableRow';
import { useCustomerStore } from '../../stores/customerStore';
import { DialLink } from '../dial/DialLink';
import { LEVEL_COLOR, LIFECYCLE_COLOR, STATUS_COLOR } from '../../components/customerLabels';
import { useLastContactText } from '../../components/PopChooser';
import { downloadBase64 } from './files';
import { errorText, searchErrorText } from './validation';
import './customers.css';

// The import dialog (file parsing, mapping, job progress) is fetched the first time it opens.
const CsvImportModal = lazy(() => import('./CsvImportModal').then((m) => ({ default: m.CsvImportModal })));

/** The customer search box: the only part of the page that follows each key stroke. */
function SearchBox() {
  const { t } = useTranslation();
  const query = useCustomerStore((s) => s.search.query);
  const setQuery = useCustomerStore((s) => s.setQuery);
  const runSearch = useCustomerStore((s) => s.runSearch);
  return (
    <Input
      size="large"
      allowClear
      autoFocus
      prefix={<SearchOutlined />}
      placeholder={t('customers.search.placeholder')}
      value={query}
      maxLength={SEARCH_QUERY_MAX}
      onChange={(e) => setQuery(e.target.value)}
      onPressEnter={() => void runSearch()}
      data-testid="customer-search"
      aria-label={t('customers.search.label')}
    />
  );
}

/** Value of the owner filter that means "no owner". */
const NO_OWNER = '__none__';

type ListFilter = 'status' | 'level' | 'type' | 'source' | 'lifecycleStage';

const LIST_FILTERS: { key: ListFilter; values: readonly string[]; prefix: string }[] = [
  { key: 'status', values: CUSTOMER_STATUSES, prefix: 'customers.status.' },
  { key: 'level', values: CUSTOMER_LEVELS, prefix: 'customers.level.' },
  { key: 'type', values: CUSTOMER_TYPES, prefix: 'customers.type.' },
  { key: 'source', values: CUSTOMER_SOURCES, prefix: 'customers.source.' },
  { key: 'lifecycleStage', values: LIFECYCLE_STAGES, prefix: 'customers.lifecycle.' },
];

/**
 * The Customers page: one search box (name, company, code, phone fragment, email, tags, pinyin)
 * with type-ahead, filters, a virtualised result list, CSV import and export, and "new customer".
 * A row opens the customer record.
 */
export function CustomersPage() {
  const { t } = useTranslation();
  // Everything but the query: a key stroke re-renders the search box only, not the filters and the
  // result table (which cost long tasks per key with large result sets); results re-render on answer.
  const search = useCustomerStore(
    useShallow((s) => ({ filters: s.search.filters, error: s.search.error, capped: s.search.capped, total: s.search.total, answeredQuery: s.search.answeredQuery, items: s.search.items, loading: s.search.loading })),
  );
  const setFilters = useCustomerStore((s) => s.setFilters);
  const runSearch = useCustomerStore((s) => s.runSearch);
  const loadMore = useCustomerStore((s) => s.loadMore);
  const openCustomer = useCustomerStore((s) => s.openCustomer);
  const call = useCustomerStore((s) => s.call);
  const lastContact = useLastContactText();
  const [importing, setImporting] = useState(false);
  const [importOpened, setImportOpened] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  useEffect(() => {
    void runSearch();
  }, [runSearch]);

  const filters = search.filters;
  const patch = (next: Partial<CustomerFilters>) => {
    const merged: CustomerFilters = { ...filters, ...next };
    for (const k of Object.keys(merged) as (keyof CustomerFilters)[]) {
      const v = merged[k];
      if (v === undefined || (Array.isArray(v) && v.length === 0)) delete merged[k];
    }
    setFilters(merged);
  };
  const exportCsv = async (encoding: (typeof CSV_EXPORT_ENCODINGS)[number]) => {
    setExportError(null);
    const r = await call((api) => api.customer.exportCsv({ query: useCustomerStore.getState().search.query, filters, encoding }));
    if (r.ok) downloadBase64(r.value.fileName, r.value.contentBase64, 'text/csv');
    else setExportError(errorText(r.error, t));
  };

  // Widths fit the work area at 1366 px with the phone panel open; the last columns give way first.
  const allColumns: (ColumnsType<CustomerSummary>[number] & FittableColumn)[] = [
    {
      title: t('customers.fields.name'),
      dataIndex: 'name',
      width: 160,
      render: (_, c) => (
        <span className="cd-nowrap" title={c.name}>
          <Typography.Text strong>{c.name}</Typography.Text> <Tag color={LEVEL_COLOR[c.level]}>{t(`customers.level.${c.level}`)}</Tag>
        </span>
      ),
    },
    { title: t('customers.fields.company'), dataIndex: 'company', width: 160, ellipsis: true },
    { title: t('customers.fields.code'), dataIndex: 'code', width: 96, ellipsis: true },
    { title: t('customers.fields.phone'), dataIndex: 'primaryPhone', width: 150, render: (_, c) => (c.primaryPhone ? <DialLink number={c.primaryPhone} /> : null) },
    { title: t('customers.fields.status'), dataIndex: 'status', width: 88, render: (_, c) => <Tag color={STATUS_COLOR[c.status]}>{t(`customers.status.${c.status}`)}</Tag> },
    {
      title: t('customers.fields.lifecycleStage'),
      dataIndex: 'lifecycleStage',
      width: 110,
      dropOrder: 1,
      render: (_, c) => <Tag color={LIFECYCLE_COLOR[c.lifecycleStage]}>{t(`customers.lifecycle.${c.lifecycleStage}`)}</Tag>,
    },
    { title: t('customers.fields.owner'), dataIndex: 'ownerId', width: 90, dropOrder: 2, render: (_, c) => c.ownerId ?? <Typography.Text type="secondary">—</Typography.Text> },
    { title: t('customers.fields.lastContact'), dataIndex: 'lastContactAt', width: 110, render: (_, c) => lastContact(c.lastContactAt) },
    {
      title: t('customers.fields.tags'),
      dataIndex: 'tags',
      width: 150,
      dropOrder: 3,
      render: (_, c) => (
        <span className="cd-nowrap">
          {c.tags.slice(0, 3).map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </span>
      ),
    },
  ];
  const tableBox = useRef<HTMLDivElement>(null);
  const fitted = fitColumns(allColumns, useElementWidth(tableBox) - 16);

  return (
    <div className="cd-page cd-customers" data-testid="page-customers">
      <div className="cd-customers-head">
        <Typography.Title level={3}>{t('customers.title')}</Typography.Title>
        <Space size={6}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => openCustomer('new')} data-testid="customer-new">
            {t('customers.new')}
          </Button>
          <Button icon={<ImportOutlined />} onClick={() => (setImporting(true), setImportOpened(true))} data-testid="csv-import-open">
            {t('customers.csv.import')}
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: CSV_EXPORT_ENCODINGS.map((e) => ({ key: e, label: t(`customers.csv.exportEncoding.${e}`) })),
              onClick: ({ key }) => void exportCsv(key as (typeof CSV_EXPORT_ENCODINGS)[number]),
            }}
          >
            <Button icon={<DownloadOutlined />} data-testid="csv-export">
              {t('customers.csv.export')}
            </Button>
          </Dropdown>
        </Space>
      </div>
      <SearchBox />
      <div className="cd-filters" data-testid="customer-filters">
        {LIST_FILTERS.map((f) => (
          <Select
            key={f.key}
            mode="multiple"
            allowClear
            size="small"
            maxTagCount="responsive"
            placeholder={t(`customers.fields.${f.key}`)}
            aria-label={t(`customers.fields.${f.key}`)}
            value={(filters[f.key] as string[] | undefined) ?? []}
            onChange={(v: string[]) => patch({ [f.key]: v } as Partial<CustomerFilters>)}
            options={f.values.map((v) => ({ value: v, label: t(`${f.prefix}${v}`) }))}
            data-testid={`filter-${f.key}`}
          />
        ))}
        <Select
          mode="tags"
          allowClear
          size="small"
          maxTagCount="responsive"
          placeholder={t('customers.fields.owner')}
          aria-label={t('customers.fields.owner')}
          value={(filters.ownerId ?? []).map((o) => o ?? NO_OWNER)}
          onChange={(v: string[]) => patch({ ownerId: v.map((o) => (o === NO_OWNER ? null : o)) })}
          options={[{ value: NO_OWNER, label: t('customers.card.noOwner') }]}
          data-testid="filter-owner"
        />
        <Select
          size="small"
          aria-label={t('customers.search.dormant.label')}
          value={filters.dormant === undefined ? 'any' : filters.dormant ? 'dormant' : 'active'}
          onChange={(v: string) => patch({ dormant: v === 'any' ? undefined : v === 'dormant' })}
          options={['any', 'dormant', 'active'].map((v) => ({ value: v, label: t(`customers.search.dormant.${v}`) }))}
          data-testid="filter-dormant"
        />
      </div>
      {search.error && <Alert type="error" showIcon title={searchErrorText(search.error, t)} data-testid="customer-search-error" />}
      {exportError && <Alert type="error" showIcon closable onClose={() => setExportError(null)} title={exportError} />}
      <Typography.Text type="secondary" className="cd-results-meta" data-testid="customer-results-meta" data-query={search.answeredQuery ?? undefined}>
        {search.capped ? t('customers.search.capped', { count: search.total }) : t('customers.search.count', { count: search.total })}
      </Typography.Text>
      <div ref={tableBox}>
        <Table<CustomerSummary>
          virtual
          size="small"
          rowKey="id"
          columns={fitted.columns as ColumnsType<CustomerSummary>}
          dataSource={search.items}
          loading={search.loading}
          pagination={false}
          scroll={{ x: fitted.x, y: 520 }}
          locale={{ emptyText: t('customers.search.noResults') }}
          onRow={(c) => ({ ...openableRow(() => openCustomer(c.id)), className: 'cd-clickable', 'data-testid': 'customer-row' }) as React.HTMLAttributes<HTMLElement>}
          data-testid="customer-results"
        />
      </div>
      {search.items.length < Math.min(search.total, 1000) && (
        <Button onClick={() => void loadMore()} loading={search.loading} data-testid="customer-load-more">
          {t('customers.search.loadMore', { shown: search.items.length, total: search.total })}
        </Button>
      )}
      {importOpened && (
        <Suspense fallback={null}>
          <CsvImportModal open={importing} onClose={() => setImporting(false)} onImported={() => void runSearch()} />
        </Suspense>
      )}
    </div>
  );
}
