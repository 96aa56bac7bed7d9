import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** File (in the data directory) holding this installation's SIP instance id. */
export const SIP_INSTANCE_FILE = 'sip-instance-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The stable `+sip.instance` UUID of this data directory (RFC 5626): the same after every restart or
 * crash, so the registrar replaces our previous binding instead of adding one per start. Created on
 * first use (written to a temp file and renamed, so a crash never leaves half a UUID); an unreadable
 * or damaged file is replaced by a new id.
 */
export function sipInstanceId(dataDir: string): string {
  const file = path.join(dataDir, SIP_INSTANCE_FILE);
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (UUID.test(text)) return text.toLowerCase();
  } catch {
    // missing: create below
  }
  const id = randomUUID();
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${id}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return id;
}
