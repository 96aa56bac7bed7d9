import type { SipAccountImportReport, SipAccountInput } from '../shared/sync/provisioning';
import type { CreateUser } from './services/users';

/** What the admin command line does, against the database or a running server's admin API. */
export interface AdminOps {
  createUser(user: CreateUser): Promise<unknown>;
  updateUser(id: string, change: Record<string, unknown>): Promise<unknown>;
  listUsers(): Promise<unknown>;
  importCustomers(csv: string, defaultRegion: string | undefined): Promise<unknown>;
  setConfig(key: string, value: unknown): Promise<unknown>;
  createQueue(queue: unknown): Promise<unknown>;
  updateQueue(id: string, change: unknown): Promise<unknown>;
  listQueues(): Promise<unknown>;
  deleteQueue(id: string): Promise<unknown>;
  setExtension(agentId: string, extension: string | null): Promise<unknown>;
  assignSip(userId: string, account: SipAccountInput): Promise<unknown>;
  importSipAccounts(csv: string): Promise<SipAccountImportReport>;
  listSipAccounts(): Promise<unknown>;
  removeSip(userId: string): Promise<unknown>;
}

/**
 * The admin operations through the admin API of the server that holds the embedded data directory
 * (its address and per-launch admin token come from the directory's lock file): the write goes
 * through the one process that has the database open.
 */
export function remoteAdminOps(baseUrl: string, token: string): AdminOps {
  const request = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new Error(`The server holding the data directory does not answer at ${baseUrl} (${(err as Error).message}); nothing was changed`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON: reported as text below.
    }
    if (!res.ok) {
      const message = (parsed as { error?: { message?: unknown } } | null)?.error?.message;
      throw new Error(typeof message === 'string' ? message : `The server answered ${res.status}: ${text.slice(0, 200)}`);
    }
    return parsed;
  };
  return {
    createUser: (user) => request('POST', '/admin/users', user),
    updateUser: (id, change) => request('PATCH', `/admin/users/${encodeURIComponent(id)}`, change),
    listUsers: () => request('GET', '/admin/users'),
    importCustomers: (csv, defaultRegion) => request('POST', '/admin/customers/import', { csv, ...(defaultRegion ? { defaultRegion } : {}) }),
    setConfig: async (key, value) => ((await request('PUT', `/admin/config/${encodeURIComponent(key)}`, { value })) as { value: unknown }).value,
    createQueue: (queue) => request('POST', '/admin/queues', queue),
    updateQueue: (id, change) => request('PATCH', `/admin/queues/${encodeURIComponent(id)}`, change),
    listQueues: () => request('GET', '/admin/queues'),
    deleteQueue: async (id) => {
      await request('DELETE', `/admin/queues/${encodeURIComponent(id)}`);
      return { deleted: id };
    },
    setExtension: (agentId, extension) => request('PUT', `/admin/agents/${encodeURIComponent(agentId)}/extension`, { extension }),
    assignSip: (userId, account) => request('PUT', `/admin/sip-accounts/${encodeURIComponent(userId)}`, account),
    importSipAccounts: async (csv) => (await request('POST', '/admin/sip-accounts/import', { csv })) as SipAccountImportReport,
    listSipAccounts: () => request('GET', '/admin/sip-accounts'),
    removeSip: async (userId) => {
      await request('DELETE', `/admin/sip-accounts/${encodeURIComponent(userId)}`);
      return { removed: userId };
    },
  };
}
