import { useEffect, useRef } from 'react';

/** Id of the element drawers open in: the work area left of the phone panel. */
export const DRAWER_HOST_ID = 'cd-drawer-host';

/**
 * Where record drawers (customer, ticket) open: inside the work area, so the phone panel with a
 * ringing call and its Answer button is never covered. Falls back to the document body when the
 * shell is not mounted (tests of a single component).
 */
export function drawerContainer(): HTMLElement {
  return document.getElementById(DRAWER_HOST_ID) ?? document.body;
}

/** Gives focus back to what had it when an overlay opened. */
export type FocusReturn = () => void;

/**
 * Remembers the focused element (call it as the overlay opens) and returns the function that gives
 * focus back as it closes. When a list re-rendered the opener meanwhile (a row replaced by a fresh one
 * after a reload), the element with the same row key and test id gets focus instead, so keyboard
 * users land where they were rather than on the page's body.
 */
export function rememberFocus(): FocusReturn {
  const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  const selector = opener ? stableSelector(opener) : null;
  return () => {
    const target = opener?.isConnected ? opener : selector ? document.querySelector<HTMLElement>(selector) : null;
    target?.focus();
  };
}

/** A selector that finds the same row or control again, or null when it has no stable identity. */
function stableSelector(el: HTMLElement): string | null {
  const parts: string[] = [];
  for (const attr of ['data-testid', 'data-row-key']) {
    const value = el.getAttribute(attr);
    if (value !== null) parts.push(`[${attr}="${CSS.escape(value)}"]`);
  }
  return parts.length > 0 ? parts.join('') : null;
}

/**
 * Focus return for a drawer: remembers the focus in the render that opens it (before the drawer moves
 * focus inside) and gives it back as soon as it closes, or if the drawer is unmounted while open. The
 * drawer's own restore cannot be relied on: its content is destroyed on close, and a closing drawer
 * that is unmounted before its animation ends never restores anything.
 */
export function useFocusReturn(open: boolean): void {
  const pending = useRef<FocusReturn | null>(null);
  if (open && pending.current === null) pending.current = rememberFocus();
  useEffect(() => {
    if (open) return;
    pending.current?.();
    pending.current = null;
  }, [open]);
  useEffect(
    () => () => {
      pending.current?.();
      pending.current = null;
    },
    [],
  );
}
