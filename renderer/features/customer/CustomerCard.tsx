import { ClockCircleOutlined, CrownOutlined, GiftOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PopHeader, PopInsight } from '../../../shared/customer/screenPop';
import type { Customer } from '../../../shared/customer/schema';
import { DialLink } from '../dial/DialLink';
import { LEVEL_COLOR, LIFECYCLE_COLOR, STATUS_COLOR, formatAmount, initialOf } from '../../components/customerLabels';
import './customers.css';

/** Props of {@link CustomerCard}. */
export interface CustomerCardProps {
  customer: Customer;
  insight: PopInsight;
  /** Mapped SIP headers of the call (queue, IVR choice, account). */
  headers?: PopHeader[];
  /** Buttons shown at the right of the header line (answer, open record, close). */
  actions?: ReactNode;
  /** Extra sections (recent interactions, open tickets) filled by other features; none by default. */
  children?: ReactNode;
  /**
   * The server computed this customer's lifecycle stage and lifetime value (synced insight, shown by
   * the children): the hand-typed stage and value are then not shown beside them.
   */
  computed?: boolean;
}

/** Known header labels get a translated name; free-text labels are shown as configured. */
const KNOWN_HEADER_LABELS = ['account', 'queue', 'ivr'];

/**
 * The customer card of a screen pop: who (name, company, tier, status, lifecycle stage, owner,
 * tags), what matters now (birthday, last contact and dormancy, lifetime value), how to treat them
 * (preferences, notes) and why they called (mapped SIP headers). Presentational: props only.
 */
export function CustomerCard({ customer, insight, headers = [], actions, children, computed = false }: CustomerCardProps) {
  const { t, i18n } = useTranslation();
  const lastContact =
    insight.daysSinceLastContact === null
      ? t('customers.card.neverContacted')
      : insight.daysSinceLastContact === 0
        ? t('customers.card.contactedToday')
        : t('customers.card.lastContactDays', { count: insight.daysSinceLastContact });
  return (
    <div className="cd-ccard" data-testid="customer-card" data-customer-id={customer.id}>
      <div className="cd-ccard-head">
        <Avatar size={40} className={`cd-avatar cd-avatar-${customer.level}`} icon={customer.name ? undefined : <UserOutlined />}>
          {initialOf(customer.name)}
        </Avatar>
        <div className="cd-ccard-who">
          <div className="cd-ccard-line">
            <Typography.Text strong className="cd-ccard-name" data-testid="pop-name">
              {customer.name}
            </Typography.Text>
            <Tag color={LEVEL_COLOR[customer.level]} icon={customer.level === 'vip' || customer.level === 'platinum' ? <CrownOutlined /> : undefined} data-testid="pop-level">
              {t(`customers.level.${customer.level}`)}
            </Tag>
            <Tag color={STATUS_COLOR[customer.status]} data-testid="pop-status">
              {t(`customers.status.${customer.status}`)}
            </Tag>
            {!computed && (
              <Tag color={LIFECYCLE_COLOR[customer.lifecycleStage]} data-testid="pop-lifecycle">
                {t(`customers.lifecycle.${customer.lifecycleStage}`)}
              </Tag>
            )}
            {insight.birthday && (
              <Tag color="volcano" icon={<GiftOutlined />} data-testid="pop-birthday">
                {insight.birthday === 'today' ? t('customers.card.birthdayToday') : t('customers.card.birthdayThisWeek')}
              </Tag>
            )}
            {insight.dormant && (
              <Tag color="red" data-testid="pop-dormant">
                {t('customers.card.dormant')}
              </Tag>
            )}
          </div>
          <div className="cd-ccard-sub">
            {customer.company && <span data-testid="pop-company">{customer.company}</span>}
            <span className="cd-muted">{customer.code}</span>
            <span>
              <span className="cd-muted">{t('customers.fields.owner')}:</span> {customer.ownerId ?? t('customers.card.noOwner')}
            </span>
          </div>
        </div>
        {actions && <div className="cd-ccard-actions">{actions}</div>}
      </div>
      <div className="cd-ccard-facts">
        {!computed && (
          <Fact label={t('customers.fields.lifetimeValue')} testId="pop-ltv">
            {formatAmount(customer.lifetimeValue, i18n.language)}
          </Fact>
        )}
        <Fact label={t('customers.fields.lastContact')} testId="pop-last-contact">
          <span className={insight.dormant ? 'cd-danger' : undefined}>
            <ClockCircleOutlined /> {lastContact}
          </span>
        </Fact>
        <Fact label={t('customers.fields.points')}>{formatAmount(customer.points, i18n.language)}</Fact>
        {customer.creditRating && <Fact label={t('customers.fields.creditRating')}>{customer.creditRating}</Fact>}
        {customer.preferredLanguage && <Fact label={t('customers.fields.preferredLanguage')}>{customer.preferredLanguage}</Fact>}
        {customer.birthday && <Fact label={t('customers.fields.birthday')}>{customer.birthday.replace(/^--/, '')}</Fact>}
      </div>
      {customer.phones.length > 0 && (
        <div className="cd-ccard-row">
          {customer.phones.map((p) => (
            <span key={`${p.raw}-${p.label}`} className="cd-ccard-phone">
              <span className="cd-muted">{t(`customers.phoneLabel.${p.label}`)}</span>
              <DialLink number={p.raw} />
            </span>
          ))}
        </div>
      )}
      {customer.tags.length > 0 && (
        <div className="cd-ccard-row" data-testid="pop-tags">
          {customer.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </div>
      )}
      {(customer.preferences || customer.notes) && (
        <div className="cd-ccard-notes">
          {customer.preferences && (
            <div data-testid="pop-preferences">
              <span className="cd-muted">{t('customers.fields.preferences')}</span>
              <Typography.Paragraph ellipsis={{ rows: 2, expandable: true, symbol: t('customers.card.more') }}>{customer.preferences}</Typography.Paragraph>
            </div>
          )}
          {customer.notes && (
            <div data-testid="pop-notes">
              <span className="cd-muted">{t('customers.fields.notes')}</span>
              <Typography.Paragraph ellipsis={{ rows: 2, expandable: true, symbol: t('customers.card.more') }}>{customer.notes}</Typography.Paragraph>
            </div>
          )}
        </div>
      )}
      <PopHeaders headers={headers} />
      {children}
    </div>
  );
}

/** The mapped SIP headers of a call (queue, IVR choice, account); nothing when there are none. */
export function PopHeaders({ headers }: { headers: PopHeader[] }) {
  const { t } = useTranslation();
  if (headers.length === 0) return null;
  return (
    <div className="cd-ccard-row" data-testid="pop-headers">
      <span className="cd-muted">{t('customers.card.callInfo')}</span>
      {headers.map((h) => (
        <Tooltip key={h.header} title={h.header}>
          <Tag color="blue" data-testid={`pop-header-${h.label}`}>
            {KNOWN_HEADER_LABELS.includes(h.label) ? t(`customers.headerLabel.${h.label}`) : h.label}: {h.value}
          </Tag>
        </Tooltip>
      ))}
    </div>
  );
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="cd-fact" data-testid={testId}>
      <div className="cd-fact-label">{label}</div>
      <div className="cd-fact-value">{children}</div>
    </div>
  );
}
