import { Alert, Card, Col, Descriptions, Form, InputNumber, Row } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { agentsNeeded, StaffingInputError } from '../../../shared/kpi/erlangC';

/** Erlang C staffing: calls per interval, AHT, target -> agents needed, expected SL, ASA, P(wait), occupancy. */
export function StaffingCalculator() {
  const { t } = useTranslation();
  const [v, setV] = useState({ calls: 360, intervalMin: 30, ahtSec: 240, targetPct: 80, targetSec: 20, shrinkagePct: 0 });
  const result = useMemo(() => {
    try {
      return { ok: true as const, r: agentsNeeded({ calls: v.calls, intervalSec: v.intervalMin * 60, ahtSec: v.ahtSec, targetSl: v.targetPct / 100, targetSec: v.targetSec, shrinkage: v.shrinkagePct / 100 }) };
    } catch (err) {
      return { ok: false as const, message: err instanceof StaffingInputError ? err.message : String(err) };
    }
  }, [v]);
  const field = (key: keyof typeof v, label: string, min: number, max: number) => (
    <Form.Item label={label} htmlFor={`staff-${key}`}>
      <InputNumber id={`staff-${key}`} min={min} max={max} value={v[key]} onChange={(n) => setV((o) => ({ ...o, [key]: n ?? Number.NaN }))} style={{ width: '100%' }} />
    </Form.Item>
  );
  const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
  return (
    <Row gutter={16}>
      <Col xs={24} lg={10}>
        <Card size="small">
          <Form layout="vertical">
            {field('calls', t('supervisor.staffing.calls'), 0, 1_000_000)}
            {field('intervalMin', t('supervisor.staffing.interval'), 1, 1440)}
            {field('ahtSec', t('supervisor.staffing.aht'), 1, 36_000)}
            {field('targetPct', t('supervisor.staffing.targetPct'), 1, 99)}
            {field('targetSec', t('supervisor.staffing.targetSec'), 0, 3600)}
            {field('shrinkagePct', t('supervisor.staffing.shrinkage'), 0, 99)}
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        {result.ok ? (
          <Descriptions bordered size="small" column={1} data-testid="staffing-result">
            <Descriptions.Item label={t('supervisor.staffing.agents')}>
              <strong className="cd-big-number">{result.r.agents}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('supervisor.staffing.scheduled')}>{result.r.scheduled}</Descriptions.Item>
            <Descriptions.Item label={t('supervisor.staffing.erlangs')}>{(Math.round(result.r.erlangs * 100) / 100).toFixed(2)}</Descriptions.Item>
            <Descriptions.Item label={t('supervisor.staffing.serviceLevel')}>{pct(result.r.serviceLevel)}</Descriptions.Item>
            <Descriptions.Item label={t('supervisor.staffing.asa')}>{(Math.round(result.r.asaSec * 10) / 10).toFixed(1)}</Descriptions.Item>
            <Descriptions.Item label={t('supervisor.staffing.pWait')}>{pct(result.r.pWait)}</Descriptions.Item>
            <Descriptions.Item label={t('supervisor.staffing.occupancy')}>{pct(result.r.occupancy)}</Descriptions.Item>
          </Descriptions>
        ) : (
          <Alert type="warning" showIcon message={t('supervisor.staffing.invalid', { message: result.message })} />
        )}
      </Col>
    </Row>
  );
}
