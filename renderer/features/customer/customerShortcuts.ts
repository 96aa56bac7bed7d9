import type { Shortcut } from '../../app/shortcuts';
import { useCustomerStore } from '../../stores/customerStore';

/** The customer shortcuts: Alt+O open the popped customer's record, Alt+F search, Alt+C new customer. */
export function customerShortcuts(): Shortcut[] {
  return [
    {
      id: 'customer-open-record',
      keys: 'Alt+O',
      labelKey: 'customers.shortcuts.openRecord',
      run: () => {
        const { pops, popOrder, selectedPop, openCustomer } = useCustomerStore.getState();
        const entry = pops[selectedPop ?? popOrder[0] ?? ''];
        if (!entry || entry.dismissed || entry.result.kind !== 'match') return false;
        openCustomer(entry.result.customer.id);
      },
    },
    {
      id: 'customer-search',
      keys: 'Alt+F',
      labelKey: 'customers.shortcuts.search',
      run: () => {
        const box = document.querySelector<HTMLInputElement>('[data-testid=pop-search-input]') ?? document.querySelector<HTMLInputElement>('[data-testid=customer-search]');
        if (!box) return false;
        box.focus();
        box.select();
      },
    },
    {
      id: 'customer-new',
      keys: 'Alt+C',
      labelKey: 'customers.shortcuts.newCustomer',
      run: () => useCustomerStore.getState().openCustomer('new'),
    },
  ];
}
