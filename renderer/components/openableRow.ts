import type { HTMLAttributes, KeyboardEvent } from 'react';

/**
 * Props that make a table row open its record by mouse and by keyboard: the row is in the Tab order
 * and Enter or Space opens it, like a click (agents work with the keyboard all day).
 */
export function openableRow(open: () => void): Pick<HTMLAttributes<HTMLElement>, 'onClick' | 'onKeyDown' | 'tabIndex'> {
  return {
    tabIndex: 0,
    onClick: open,
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (e.target !== e.currentTarget) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    },
  };
}
