import { render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { InsightStrip } from '../../../../renderer/features/customer/InsightStrip';
import { createI18n } from '../../../../renderer/i18n/i18n';
import type { CustomerInsight } from '../../../../shared/insight/record';

const NOW = Date.UTC(2026, 11, 3, 4);
const DAY = 86_400_000;

function insight(patch: Partial<CustomerInsight> = {}): CustomerInsight {
  return {
    customerId: 1, orderCount: 12, totalSpend: 18250.5, firstPurchaseAt: NOW - 900 * DAY, lastPurchaseAt: NOW - 3 * DAY,
    r: 5, f: 4, m: 5, segment: 'champions', abc: 'A', clv: 8539.07, lifecycle: 'growth', lifecycleManual: null,
    overdueAmount: 0, overdueSince: null, dueOrders: 0, lateOrders: 0,
    monthly: [['2026-01', 500], ['2026-11', 1200], ['2026-12', 300]], recentOrders: [], computedAt: NOW,
    ...patch,
  };
}

function show(value: CustomerInsight | null, language: 'en-US' | 'zh-CN' = 'en-US') {
  return render(
    <I18nextProvider i18n={createI18n(language)}>
      <InsightStrip insight={value} now={NOW} utcOffsetMinutes={480} />
    </I18nextProvider>,
  );
}

describe('InsightStrip (pop card and customer record)', () => {
  it('shows the RFM segment, ABC class, lifecycle, CLV, total spend and last purchase', () => {
    show(insight());
    expect(screen.getByTestId('insight-segment').textContent).toBe('Champion');
    expect(screen.getByTestId('insight-abc').textContent).toBe('Class A');
    expect(screen.getByTestId('insight-lifecycle').textContent).toBe('Growth');
    expect(screen.getByTestId('insight-clv').textContent).toContain('8,539.07');
    expect(screen.getByTestId('insight-total').textContent).toContain('18,250.5');
    expect(screen.getByTestId('insight-total').textContent).toContain('12 orders');
    expect(screen.getByTestId('insight-last-purchase').textContent).toContain('3 days ago');
    expect(screen.queryByTestId('insight-overdue')).toBeNull();
  });

  it('draws 12 monthly bars with the figures in the accessible label', () => {
    show(insight());
    const svg = screen.getByRole('img');
    expect(svg.querySelectorAll('rect')).toHaveLength(12);
    expect(svg.getAttribute('aria-label')).toContain('2026-11 1,200');
    expect(svg.getAttribute('aria-label')).toContain('2026-01 500');
    expect(svg.getAttribute('aria-label')).not.toContain('2025-12');
  });

  it('marks a manual lifecycle stage and shows an overdue amount', () => {
    show(insight({ lifecycleManual: 'maturity', overdueAmount: 640 }));
    expect(screen.getByTestId('insight-lifecycle').textContent).toBe('Maturity · set by hand');
    expect(screen.getByTestId('insight-overdue').textContent).toContain('640');
  });

  it('in Chinese', () => {
    show(insight({ segment: 'cannot-lose', abc: 'B' }), 'zh-CN');
    expect(screen.getByTestId('insight-segment').textContent).toBe('重要挽留客户');
    expect(screen.getByTestId('insight-abc').textContent).toBe('B 类客户');
    expect(screen.getByTestId('insight-last-purchase').textContent).toContain('3 天前');
  });

  it('says so when no purchase history was synced', () => {
    show(null);
    expect(screen.getByTestId('insight-none').textContent).toBe('No purchase history synced yet');
  });
});
