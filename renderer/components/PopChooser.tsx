import { Button, List, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { daysSinceLastContact } from '../../shared/customer/helpers';
import type { CustomerSummary } from '../../shared/customer/schema';
import { LEVEL_COLOR, STATUS_COLOR } from './customerLabels';

/** Candidates, most recently contacted first (never contacted last). */
export function byLastContact(candidates: readonly CustomerSummary[]): CustomerSummary[] {
  return [...candidates].sort((a, b) => (b.lastContactAt ?? -1) - (a.lastContactAt ?? -1));
}

/** Last contact in words ("3 days ago", "today", "never"). */
export function useLastContactText(): (lastContactAt: number | null) => string {
  const { t } = useTranslation();
  // Stable while the language stays: memoised tables list it among their dependencies.
  return useCallback(
    (lastContactAt: number | null) => {
      const days = daysSinceLastContact(lastContactAt, Date.now());
      if (days === null) return t('customers.card.neverContacted');
      if (days === 0) return t('customers.card.contactedToday');
      if (days === 1) return t('customers.card.contactedYesterday');
      return t('customers.card.lastContactDays', { count: days });
    },
    [t],
  );
}

/** Several customers share the caller's number: the agent picks one, most recent contact first. */
export function PopChooser({ candidates, onChoose }: { candidates: readonly CustomerSummary[]; onChoose(id: number): void }) {
  const { t } = useTranslation();
  const lastContact = useLastContactText();
  return (
    <div data-testid="pop-chooser">
      <Typography.Text type="secondary">{t('customers.pop.chooseHint', { count: candidates.length })}</Typography.Text>
      <List
        size="small"
        dataSource={byLastContact(candidates)}
        renderItem={(c, index) => (
          <List.Item
            key={c.id}
            data-testid="pop-candidate"
            data-customer-id={c.id}
            actions={[
              <Button key="pick" size="small" type={index === 0 ? 'primary' : 'default'} onClick={() => onChoose(c.id)} data-testid="pop-candidate-choose">
                {t('customers.pop.choose')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={
                <span className="cd-ccard-line">
                  <Typography.Text strong data-testid="pop-candidate-name">
                    {c.name}
                  </Typography.Text>
                  <Tag color={LEVEL_COLOR[c.level]}>{t(`customers.level.${c.level}`)}</Tag>
                  <Tag color={STATUS_COLOR[c.status]}>{t(`customers.status.${c.status}`)}</Tag>
                </span>
              }
              description={[c.company, c.code, lastContact(c.lastContactAt)].filter(Boolean).join(' · ')}
            />
          </List.Item>
        )}
      />
    </div>
  );
}
