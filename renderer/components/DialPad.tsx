import { Button } from 'antd';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
const LETTERS: Record<string, string> = { '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ', '0': '+' };

/** A 12-key telephone keypad. */
export function DialPad({ onKey, testIdPrefix = 'key' }: { onKey(key: string): void; testIdPrefix?: string }) {
  return (
    <div className="cd-dialpad">
      {KEYS.map((k) => (
        <Button key={k} onClick={() => onKey(k)} data-testid={`${testIdPrefix}-${k}`} aria-label={k}>
          <span className="cd-dialpad-digit">{k}</span>
          <span className="cd-dialpad-letters">{LETTERS[k] ?? ''}</span>
        </Button>
      ))}
    </div>
  );
}
