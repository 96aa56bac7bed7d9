/** A keyboard shortcut of the agent desktop. */
export interface Shortcut {
  id: string;
  /** e.g. `Alt+A`; matched case-insensitively against the key and Alt/Ctrl/Shift/Meta. */
  keys: string;
  /** i18n key of the description shown in the help overlay. */
  labelKey: string;
  /** Runs the action; returns false when it did not apply (nothing to answer, …). */
  run(): boolean | void;
}

/** Whether a key event matches a `Mod+Key` combination. */
export function matches(e: Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'shiftKey' | 'metaKey'>, keys: string): boolean {
  const parts = keys.split('+').map((p) => p.trim().toLowerCase());
  const key = parts.pop() ?? '';
  const want = { alt: parts.includes('alt'), ctrl: parts.includes('ctrl'), shift: parts.includes('shift'), meta: parts.includes('meta') };
  if (e.altKey !== want.alt || e.ctrlKey !== want.ctrl || e.metaKey !== want.meta) return false;
  // Alt+letter produces other characters on macOS: compare the physical key too.
  const pressed = e.key.toLowerCase();
  const physical = e.code.replace(/^Key|^Digit/, '').toLowerCase();
  if (key === '?') return pressed === '?';
  if (e.shiftKey !== want.shift) return false;
  return pressed === key || physical === key;
}

/** Finds the shortcut for a key event, if any. */
export function findShortcut(shortcuts: readonly Shortcut[], e: KeyboardEvent): Shortcut | undefined {
  return shortcuts.find((s) => matches(e, s.keys));
}
