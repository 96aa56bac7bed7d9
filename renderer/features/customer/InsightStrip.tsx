import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerInsight } from '../../../shared/insight/record';
import { spendSeries } from '../../../shared/insight/record';
import { formatAmount } from '../../components/customerLabels';

/** Tag colour per RFM segment: green for the best, orange for slipping, red for gone. */
const SEGMENT_COLOR: Record<NonNullable<CustomerInsight['segment']>, string> = {
  champions: 'green',
  loyal: 'green',
  'potential-loyalist': 'cyan',
  'new-customer': 'blue',
  promising: 'blue',
  'need-attention': 'gold',
  'about-to-sleep': 'orange',
  'at-risk': 'volcano',
  'cannot-lose': 'red',
  hibernating: 'default',
  lost: 'default',
};
const ABC_COLOR = { A: 'magenta', B: 'purple', C: 'default' } as const;
const CHART_MONTHS = 12;
const DAY = 86_400_000;

/** Props of {@link InsightStrip}. */
export interface InsightStripProps {
  insight: CustomerInsight | null;
  /** Now, for "N days ago" and the chart's months. */
  now: number;
  /** Minutes east of UTC of the agent's clock. */
  utcOffsetMinutes: number;
}

/**
 * What the purchase history says about a customer, at a glance: RFM segment, ABC class, computed
 * lifecycle (a manual stage marked), CLV, total spend, last purchase and spend per month over the
 * last year (bars). Presentational: props only.
 */
export function InsightStrip({ insight, now, utcOffsetMinutes }: InsightStripProps) {
  const { t, i18n } = useTranslation();
  if (!insight || insight.orderCount === 0) {
    return (
      <div className="cd-insight cd-muted" data-testid="insight-none">
        {t('customers.insight.none')}
      </div>
    );
  }
  const money = (v: number | null) => (v === null ? '—' : formatAmount(v, i18n.language));
  const lastDays = insight.lastPurchaseAt === null ? null : Math.max(0, Math.floor((now - insight.lastPurchaseAt) / DAY));
  const lifecycle = insight.lifecycleManual ?? insight.lifecycle;
  const rfm = insight.r === null ? '' : `R${insight.r} F${insight.f} M${insight.m}`;
  return (
    <div className="cd-insight" data-testid="insight">
      <div className="cd-ccard-row">
        <span className="cd-muted">{t('customers.insight.title')}</span>
        {insight.segment && (
          <Tooltip title={`${t('customers.insight.rfm')}: ${rfm}`}>
            <Tag color={SEGMENT_COLOR[insight.segment]} data-testid="insight-segment">
              {t(`customers.insight.segment.${insight.segment}`)}
            </Tag>
          </Tooltip>
        )}
        {insight.abc && (
          <Tooltip title={t('customers.insight.abcHint')}>
            <Tag color={ABC_COLOR[insight.abc]} data-testid="insight-abc">
              {t('customers.insight.abc', { cls: insight.abc })}
            </Tag>
          </Tooltip>
        )}
        {lifecycle && (
          <Tag data-testid="insight-lifecycle">
            {t(`customers.lifecycle.${lifecycle}`)}
            {insight.lifecycleManual ? ` · ${t('customers.insight.manual')}` : ''}
          </Tag>
        )}
      </div>
      <div className="cd-insight-body">
        <div className="cd-insight-facts">
          <Fact label={t('customers.insight.clv')} testId="insight-clv" value={money(insight.clv)} />
          <Fact label={t('customers.insight.totalSpend')} testId="insight-total" value={`${money(insight.totalSpend)} (${t('customers.insight.orders', { count: insight.orderCount })})`} />
          <Fact
            label={t('customers.insight.lastPurchase')}
            testId="insight-last-purchase"
            value={lastDays === null ? '—' : lastDays === 0 ? t('customers.insight.today') : t('customers.insight.daysAgo', { count: lastDays })}
          />
          {insight.overdueAmount > 0 && <Fact label={t('customers.insight.overdue')} testId="insight-overdue" value={money(insight.overdueAmount)} danger />}
        </div>
        <SpendBars insight={insight} now={now} utcOffsetMinutes={utcOffsetMinutes} />
      </div>
    </div>
  );
}

function Fact({ label, value, testId, danger }: { label: string; value: string; testId: string; danger?: boolean }) {
  return (
    <div className="cd-fact" data-testid={testId}>
      <div className="cd-fact-label">{label}</div>
      <div className={danger ? 'cd-fact-value cd-danger' : 'cd-fact-value'}>{value}</div>
    </div>
  );
}

/** Spend per month over the last year as small bars (inline SVG), with the figures as its label. */
function SpendBars({ insight, now, utcOffsetMinutes }: { insight: CustomerInsight; now: number; utcOffsetMinutes: number }) {
  const { t, i18n } = useTranslation();
  const series = spendSeries(insight.monthly, now, CHART_MONTHS, utcOffsetMinutes);
  const max = Math.max(1, ...series.map((p) => p.total));
  const w = 12;
  const gap = 3;
  const h = 36;
  const label = `${t('customers.insight.chart')}: ${series.map((p) => `${p.month} ${formatAmount(p.total, i18n.language)}`).join(', ')}`;
  return (
    <figure className="cd-insight-chart" data-testid="insight-chart">
      <svg width={series.length * (w + gap)} height={h + 2} role="img" aria-label={label}>
        {series.map((p, i) => {
          const bh = p.total > 0 ? Math.max(2, Math.round((p.total / max) * h)) : 1;
          return (
            <rect key={p.month} x={i * (w + gap)} y={h - bh + 1} width={w} height={bh} rx={1} className={p.total > 0 ? 'cd-bar' : 'cd-bar-empty'}>
              <title>{`${p.month}: ${formatAmount(p.total, i18n.language)}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="cd-muted">{t('customers.insight.chart')}</figcaption>
    </figure>
  );
}
