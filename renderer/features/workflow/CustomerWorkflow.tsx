import { CustomerOpenTickets } from './CustomerOpenTickets';
import { CustomerTimeline } from './CustomerTimeline';

/**
 * The workflow sections of a customer: recent contacts (the card: last five and the count; the
 * record page: more on demand) and open tickets. Mounted in the customer card and record.
 */
export function CustomerWorkflow({ customerId, customerName, variant = 'card' }: { customerId: number; customerName?: string; variant?: 'card' | 'page' }) {
  return (
    <div className="cd-workflow-wrap">
      <div className="cd-workflow-side" data-testid={`customer-workflow-${variant}`}>
        <CustomerTimeline customerId={customerId} limit={variant === 'card' ? 5 : 20} expandable={variant === 'page'} />
        <CustomerOpenTickets customerId={customerId} {...(customerName ? { customerName } : {})} />
      </div>
    </div>
  );
}
