import fs from 'node:fs';
import { startPbx, type RunningPbx } from '../../scripts/pbx.mjs';

/** One binding of an AOR in the PBX's location table. */
export interface Binding {
  contact: string;
  received: string;
  instance: string;
  regId: number;
}

/** The PBX's current bindings of `user` (JSON-RPC `ul.lookup` over the dev PBX's /RPC). */
export async function pbxBindings(pbx: { wsPort: number }, user: string): Promise<Binding[]> {
  const res = await fetch(`http://127.0.0.1:${pbx.wsPort}/RPC`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'ul.lookup', params: ['location', user], id: 1 }),
  });
  const body = (await res.json()) as { result?: { Contacts?: { Contact: Record<string, unknown> }[] }; error?: { code: number; message: string } };
  if (body.error) {
    if (/not found/i.test(body.error.message)) return [];
    throw new Error(`ul.lookup ${user}: ${body.error.code} ${body.error.message}`);
  }
  return (body.result?.Contacts ?? []).map(({ Contact: c }) => ({
    contact: String(c.Address ?? ''),
    received: String(c.Received ?? ''),
    instance: String(c.Instance ?? ''),
    regId: Number(c['Reg-Id'] ?? 0),
  }));
}

/** Pids of a process and all its descendants (Kamailio forks its workers). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Restarts the PBX as a crash would: SIGKILL to the Kamailio we started and each of its workers (by
 * pid), then a new Kamailio on the same ports and folder (`options`: more startPbx options, e.g. the
 * ACD's evapi port). Every location binding and connection is lost.
 */
export async function restartPbx(pbx: RunningPbx, options: Record<string, unknown> = {}): Promise<RunningPbx> {
  const pids = processTree(pbx.pid);
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return startPbx({ sipPort: pbx.sipPort, wsPort: pbx.wsPort, dir: pbx.dir, ...options });
}
