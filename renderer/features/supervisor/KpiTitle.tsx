import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { KpiId } from '../../../shared/kpi/definitions';

/** A KPI's name with its formula as a tooltip (the same text on every screen). */
export function KpiTitle({ id }: { id: KpiId }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`supervisor.kpi.${id}.tip`)}>
      <span className="cd-kpi-title" tabIndex={0} data-kpi={id}>
        {t(`supervisor.kpi.${id}.label`)}
      </span>
    </Tooltip>
  );
}
