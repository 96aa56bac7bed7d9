import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { registerShortcuts } from '../../app/useShortcuts';
import type { Shortcut } from '../../app/shortcuts';
import { settingValue } from '../../../shared/settings/definitions';
import { useAgentStore } from '../../stores/agentStore';
import { useCoreStore } from '../../stores/coreStore';
import { useTicketStore } from '../../stores/ticketStore';
import { currentCallPrefill } from '../ticket/prefill';

/** Alt+R ready / not ready, Alt+W submit wrap-up, Alt+N new ticket (prefilled from the call). */
export function agentShortcuts(t: Parameters<typeof currentCallPrefill>[0]): Shortcut[] {
  return [
    {
      id: 'ready-toggle',
      keys: 'Alt+R',
      labelKey: 'workflow.shortcuts.readyToggle',
      run: () => {
        const settings = useCoreStore.getState().state?.settings;
        const reasons = settings ? settingValue(settings, 'agent.notReadyReasons').map((r) => r.code) : [];
        void useAgentStore.getState().toggleReady(reasons);
      },
    },
    {
      id: 'wrapup-submit',
      keys: 'Alt+W',
      labelKey: 'workflow.shortcuts.submitWrapUp',
      run: () => {
        const submit = useAgentStore.getState().submitWrapUpForm;
        if (!submit) return false;
        submit();
      },
    },
    {
      id: 'new-ticket',
      keys: 'Alt+N',
      labelKey: 'workflow.shortcuts.newTicket',
      run: () => {
        if (useTicketStore.getState().create) return false;
        useTicketStore.getState().openCreate(currentCallPrefill(t));
      },
    },
  ];
}

/** Registers the agent shortcuts while mounted (the help overlay lists them). */
export function AgentShortcuts() {
  const { t } = useTranslation();
  useEffect(() => registerShortcuts(agentShortcuts(t)), [t]);
  return null;
}
