import { Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { memo, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerSummary } from '../../../shared/customer/schema';
import { fitColumns, useElementWidth, type FittableColumn } from '../../components/fitColumns';
import { openableRow } from '../../components/openableRow';
import { DialLink } from '../dial/DialLink';
import { LEVEL_COLOR, LIFECYCLE_COLOR, STATUS_COLOR } from '../../components/customerLabels';
import { useLastContactText } from '../../components/PopChooser';

/**
 * The virtualised result table of the Customers page. Memoised on its rows: the page re-renders on
 * every search state change, the table only when the rows, the loading flag or its width change.
 * Widths fit the work area at 1366 px with the phone panel open; the last columns give way first.
 */
export const CustomerResultsTable = memo(function CustomerResultsTable({ items, loading, onOpen }: { items: CustomerSummary[]; loading: boolean; onOpen(id: number): void }) {
  const { t } = useTranslation();
  const lastContact = useLastContactText();
  const allColumns = useMemo<(ColumnsType<CustomerSummary>[number] & FittableColumn)[]>(
    () => [
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
    ],
    [t, lastContact],
  );
  const tableBox = useRef<HTMLDivElement>(null);
  const width = useElementWidth(tableBox) - 16;
  const fitted = useMemo(() => fitColumns(allColumns, width), [allColumns, width]);
  return (
    // While a new search runs over rows already shown, the rows stay as they are (aria-busy tells
    // assistive technology): re-rendering the table under a loading overlay per search doubled the work.
    <div ref={tableBox} aria-busy={loading}>
      <ResultRows items={items} columns={fitted.columns as ColumnsType<CustomerSummary>} x={fitted.x} spinner={loading && items.length === 0} onOpen={onOpen} />
    </div>
  );
});

/** The antd virtual table itself: renders only when its rows, columns or width change. */
const ResultRows = memo(function ResultRows({ items, columns, x, spinner, onOpen }: { items: CustomerSummary[]; columns: ColumnsType<CustomerSummary>; x: number; spinner: boolean; onOpen(id: number): void }) {
  const { t } = useTranslation();
  return (
    <Table<CustomerSummary>
      virtual
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={items}
      loading={spinner}
      pagination={false}
      scroll={{ x, y: 520 }}
      locale={{ emptyText: t('customers.search.noResults') }}
      onRow={(c) => ({ ...openableRow(() => onOpen(c.id)), className: 'cd-clickable', 'data-testid': 'customer-row' }) as React.HTMLAttributes<HTMLElement>}
      data-testid="customer-results"
    />
  );
});
