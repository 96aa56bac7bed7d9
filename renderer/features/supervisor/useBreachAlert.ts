import { notification } from 'antd';
import type { ReactElement } from 'react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveBoard } from '../../../shared/kpi/board';
import { formatKpi, type KpiId } from '../../../shared/kpi/definitions';
import { queueKpiStatus, queueKpiValue } from '../../../shared/kpi/thresholds';

const WATCHED: KpiId[] = ['serviceLevel', 'longestWaitNowMs', 'abandonRate'];

/** A short two-tone beep (WebAudio) for a breached threshold. */
function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.setValueAtTime(880, ctx.currentTime);
    osc.frequency.setValueAtTime(660, ctx.currentTime + 0.15);
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.3);
    osc.onended = () => void ctx.close();
  } catch {
    // No audio device: the toast still shows.
  }
}

/** Toast (top centre: over the work area, never over the phone panel) + sound when a queue KPI turns `bad` (once per breach; again after it recovered). Render the returned holder. */
export function useBreachAlert(board: LiveBoard | null, now: number): ReactElement {
  const { t } = useTranslation();
  const [api, holder] = notification.useNotification({ placement: 'top', maxCount: 5 });
  const breached = useRef(new Set<string>());
  useEffect(() => {
    if (!board) return;
    for (const q of board.queues) {
      for (const k of WATCHED) {
        const v = queueKpiValue(q, k, now);
        const key = `${q.id}:${k}`;
        if (queueKpiStatus(q, k, v) !== 'bad') {
          breached.current.delete(key);
          continue;
        }
        if (breached.current.has(key)) continue;
        breached.current.add(key);
        const threshold = k === 'serviceLevel' ? `${q.slTargetPct}%` : k === 'longestWaitNowMs' ? formatKpi(k, q.slTargetSec * 1000) : '10.0%';
        api.warning({ message: t('supervisor.board.breached', { queue: q.name, kpi: t(`supervisor.kpi.${k}.label`), value: formatKpi(k, v), threshold }), });
        beep();
      }
    }
  }, [board, now, api, t]);
  return holder;
}
