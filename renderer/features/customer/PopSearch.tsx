import { LoadingOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Input, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEVEL_COLOR } from '../../components/customerLabels';
import { useDebouncedSearch } from './useDebouncedSearch';
import { SEARCH_QUERY_MAX } from '../../../shared/customer/schema';
import { searchErrorText } from './validation';

/**
 * The pop of a withheld caller: the agent asks who is calling and finds them by name, code or number.
 * Progress shows in the box, not as a blur over the list: the previous results stay clickable while
 * the agent types.
 */
export function PopSearch({ onChoose }: { onChoose(id: number): void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const { items, loading, error } = useDebouncedSearch(query);
  return (
    <div data-testid="pop-search">
      <Typography.Text type="secondary">{t('customers.pop.withheldHint')}</Typography.Text>
      <Input
        allowClear
        prefix={<SearchOutlined />}
        suffix={loading ? <LoadingOutlined data-testid="pop-search-busy" /> : <span />}
        placeholder={t('customers.search.placeholder')}
        value={query}
        maxLength={SEARCH_QUERY_MAX}
        onChange={(e) => setQuery(e.target.value)}
        onPressEnter={() => items[0] && onChoose(items[0].id)}
        data-testid="pop-search-input"
        style={{ margin: '6px 0' }}
      />
      {error && <Alert type="error" showIcon title={searchErrorText(error, t)} data-testid="pop-search-error" />}
      {query.trim() !== '' && (
        <List
          size="small"
          dataSource={items}
          locale={{ emptyText: loading ? t('customers.search.searching') : t('customers.search.noResults') }}
          renderItem={(c) => (
            <List.Item key={c.id} className="cd-clickable" onClick={() => onChoose(c.id)} data-testid="pop-search-result">
              <span className="cd-ccard-line">
                <Typography.Text strong>{c.name}</Typography.Text>
                <Tag color={LEVEL_COLOR[c.level]}>{t(`customers.level.${c.level}`)}</Tag>
                <Typography.Text type="secondary">{[c.company, c.code, c.primaryPhone].filter(Boolean).join(' · ')}</Typography.Text>
              </span>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
