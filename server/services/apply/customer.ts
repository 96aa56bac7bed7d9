import type { z } from 'zod';
import { customerCodeSchema, customerFieldsSchema, type Customer } from '../../../shared/customer/schema';
import type { CustomerSyncField } from '../../../shared/customer/sync';
import { customerPushPayloadSchema } from '../../../shared/sync/payloads';
import type { RejectReason, SyncMutation } from '../../../shared/sync/protocol';
import { customerRowToRecord, type CustomerRow } from '../customers';
import { describe, rejected, type Outcome, type Run } from './run';

/** A customer's fields as the server stores them (`customers.record`), phones with their E.164 keys. */
type StoredCustomer = Omit<z.output<typeof customerFieldsSchema>, 'phones'> & { phones: Customer['phones'] };

function maxOrNull(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/**
 * Customers. A create inserts by code (an existing code is another customer: rejected `exists`,
 * never merged); an agent's new customer without an owner becomes theirs. An update finds the
 * customer by server id and applies only the `changed` fields over the current server record
 * (per-field last writer wins: a field the desktop did not change is never overwritten by its
 * stale copy). An update whose server id the desktop did not know yet resolves it from the
 * create earlier in this batch or in an earlier answer; failing that, it carries the whole
 * record and is stored as a create (a create refused for its code, then fixed).
 */
export async function applyCustomer(run: Run, m: SyncMutation): Promise<Outcome> {
  if (m.operation !== 'create' && m.operation !== 'update') return rejected('unsupported', `Customers do not support "${m.operation}"`);
  const parsed = customerPushPayloadSchema.safeParse(m.payload);
  if (!parsed.success) return rejected('invalid', describe(parsed.error));
  const { record, changed } = parsed.data;
  const fields = customerFieldsSchema.safeParse(record);
  if (!fields.success) return rejected('invalid', describe(fields.error));
  const code = customerCodeSchema.safeParse(record.code);
  if (!code.success) return rejected('invalid', `code: ${code.error.issues[0]?.message ?? 'is invalid'}`);
  if (record.phones.some((p) => p.e164 !== null && !/^\+[1-9]\d{4,15}$/.test(p.e164))) return rejected('invalid', 'phones: an E.164 key is malformed');
  const incoming: StoredCustomer = {
    ...fields.data,
    phones: fields.data.phones.map((p, i) => ({ raw: p.raw, e164: record.phones[i]?.e164 ?? null, extension: record.phones[i]?.extension ?? null, label: p.label, primary: p.primary })),
  };
  const serverId = m.operation === 'create' ? null : (parsed.data.serverId ?? run.customerIds.get(m.entityId) ?? (await createdCustomer(run, m.entityId)));
  if (serverId === null) return createCustomer(run, m, code.data, incoming, parsed.data.codeGenerated);
  return updateCustomer(run, serverId, code.data, incoming, changed);
}

async function createCustomer(run: Run, m: SyncMutation, code: string, incoming: StoredCustomer, codeGenerated: boolean): Promise<Outcome> {
  const agent = run.principal.role === 'agent';
  const owner = incoming.ownerId ?? (agent ? run.principal.id : null);
  if (!(await run.visibility()).customer(owner)) return rejected('forbidden', `A customer owned by ${owner ?? 'nobody'} would be outside your scope`);
  const rec = { ...incoming, ownerId: owner };
  const { rows } = await run.tx.query<CustomerRow>(
    `INSERT INTO customers (code, name, owner_id, record, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (code) DO NOTHING RETURNING *`,
    [code, rec.name, owner, JSON.stringify(rec), run.now],
  );
  let row = rows[0];
  if (!row && codeGenerated) {
    // Desktops generate codes independently; a generated one that is taken becomes `S` + the server id.
    const { rows: recoded } = await run.tx.query<CustomerRow>(
      `WITH n AS (SELECT nextval(pg_get_serial_sequence('customers', 'id')) AS id)
       INSERT INTO customers (id, code, name, owner_id, record, created_at, updated_at)
       SELECT n.id, 'S' || lpad(n.id::text, 8, '0'), $1, $2, $3, $4, $4 FROM n
       ON CONFLICT (code) DO NOTHING RETURNING *`,
      [rec.name, owner, JSON.stringify(rec), run.now],
    );
    row = recoded[0];
  }
  if (!row) return rejected('exists', `Customer code "${code}" is already used by another customer on the server; change the code and save again`);
  const id = Number(row.id);
  await writePhones(run, id, rec.phones, false);
  run.customerIds.set(m.entityId, id);
  run.touched.customers.add(id);
  const adjusted = [...(row.code !== code ? ['code'] : []), ...(owner !== incoming.ownerId ? ['ownerId'] : [])];
  return { status: 'applied', version: Number(row.version), record: customerRowToRecord(row), ...(adjusted.length > 0 ? { fields: adjusted } : {}) };
}

async function updateCustomer(run: Run, serverId: number, code: string, incoming: StoredCustomer, changed: CustomerSyncField[]): Promise<Outcome> {
  const { rows } = await run.tx.query<CustomerRow>('SELECT * FROM customers WHERE id = $1 FOR UPDATE', [serverId]);
  const row = rows[0];
  if (!row) return rejected('not-found', `No customer ${serverId} on the server`);
  const vis = await run.visibility();
  if (!vis.customer(row.owner_id)) return rejected('forbidden', 'This customer is outside your scope');
  const current = customerRowToRecord(row);
  const next: Customer = { ...current };
  const applied: CustomerSyncField[] = [];
  for (const f of changed) {
    const value = f === 'code' ? code : f === 'lastContactAt' ? maxOrNull(current.lastContactAt, incoming.lastContactAt) : incoming[f];
    if (JSON.stringify(value) === JSON.stringify(current[f])) continue;
    (next as Record<CustomerSyncField, unknown>)[f] = value;
    applied.push(f);
  }
  if (applied.length === 0) return { status: 'applied', version: current.serverVersion ?? Number(row.version), record: current };
  // Refusals of a visible customer carry its server record, so the desktop reverts its copy.
  const refuse = (reason: RejectReason, message: string): Outcome => ({ ...rejected(reason, message), version: Number(row.version), record: current });
  if (applied.includes('ownerId') && !vis.customer(next.ownerId)) {
    return refuse('forbidden', `Reassigning to ${next.ownerId ?? 'nobody'} would put this customer outside your scope`);
  }
  if (applied.includes('code')) {
    const { rows: taken } = await run.tx.query('SELECT 1 FROM customers WHERE code = $1 AND id <> $2', [next.code, serverId]);
    if (taken.length > 0) return refuse('exists', `Customer code "${next.code}" is already used by another customer on the server`);
  }
  const { id: _id, code: nextCode, serverVersion: _v, revision: _r, createdAt: _c, updatedAt: _u, ...stored } = next;
  const { rows: updated } = await run.tx.query<CustomerRow>(
    'UPDATE customers SET code = $2, name = $3, owner_id = $4, record = $5, version = version + 1, updated_at = $6 WHERE id = $1 RETURNING *',
    [serverId, nextCode, stored.name, stored.ownerId, JSON.stringify(stored), run.now],
  );
  if (applied.includes('phones')) await writePhones(run, serverId, stored.phones, true);
  run.touched.customers.add(serverId);
  const after = updated[0]!;
  return { status: 'applied', version: Number(after.version), record: customerRowToRecord(after) };
}

/** The server id of a desktop customer this client created before (its stored answer), or null. */
async function createdCustomer(run: Run, entityId: string): Promise<number | null> {
  const { rows } = await run.tx.query<{ id: string | null }>(
    `SELECT result->'record'->>'id' AS id FROM sync_results
     WHERE client_id = $1 AND entity_id = $2 AND entity = 'customer' AND result->>'status' = 'applied' AND result->'record' ? 'id'
     ORDER BY seq DESC LIMIT 1`,
    [run.clientId, entityId],
  );
  const id = rows[0]?.id;
  return id === null || id === undefined ? null : Number(id);
}

/** The E.164 keys of a customer (phone lookups). */
async function writePhones(run: Run, id: number, phones: StoredCustomer['phones'], replace: boolean): Promise<void> {
  if (replace) await run.tx.query('DELETE FROM customer_phones WHERE customer_id = $1', [id]);
  const keys = [...new Set(phones.map((p) => p.e164).filter((e): e is string => e !== null))];
  if (keys.length > 0) await run.tx.query('INSERT INTO customer_phones (customer_id, e164) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [id, keys]);
}
