import { useEffect, useState } from 'react';

/** Formats a duration in ms as m:ss or h:mm:ss. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A live timer counting from `since` (epoch ms) until `until` when given. */
export function CallTimer({ since, until, testId }: { since: number; until?: number; testId?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [until]);
  return (
    <span className="cd-timer" data-testid={testId}>
      {formatDuration((until ?? now) - since)}
    </span>
  );
}
