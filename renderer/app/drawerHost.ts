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
