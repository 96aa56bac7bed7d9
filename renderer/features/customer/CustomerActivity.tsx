import { CustomerOpenTickets } from '../ticket/CustomerOpenTickets';
import { CustomerTasks } from '../task/CustomerTasks';
import { CustomerTimeline } from '../interaction/CustomerTimeline';

/**
 * The workflow sections of a customer: recent contacts (the card: last five and the count; the
 * record page: more on demand), open tickets, and open follow-ups and callbacks (whatever their due
 * date: tomorrow's callback shows here). Mounted in the customer card and record.
 */
export function CustomerActivity({ customerId, customerName, variant = 'card' }: { customerId: number; customerName?: string; variant?: 'card' | 'page' }) {
  return (
    <div className="cd-workflow-wrap">
      <div className="cd-workflow-side" data-testid={`customer-workflow-${variant}`}>
        <CustomerTimeline customerId={customerId} limit={variant === 'card' ? 5 : 20} expandable={variant === 'page'} />
        <div className="cd-workflow-aside">
          <CustomerOpenTickets customerId={customerId} {...(customerName ? { customerName } : {})} />
          <CustomerTasks customerId={customerId} />
        </div>
      </div>
    </div>
  );
}
