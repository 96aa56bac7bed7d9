import crypto from 'node:crypto';
import { AcdRouter } from './acd/router';
import { buildServer } from './app';
import { loadServerConfig } from './config';
import { openServerDb } from './db/open';
import { createServerLogger } from './log';
import type { PushFaultPoint } from './services/push';

/**
 * `npm run server`: the central server. Configuration from the environment (see server/README.md):
 * `DATABASE_URL` for PostgreSQL (else embedded PGlite), `CALLDESK_SERVER_SECRET`, `CALLDESK_SERVER_PORT`...
 */
async function main(): Promise<void> {
  const { config, warnings } = loadServerConfig();
  const log = createServerLogger('server', config.logLevel);
  for (const w of warnings) log.warn(w);
  const { db, migration, lock } = await openServerDb(config, log);
  log.info('database ready', { kind: db.kind, schema: migration.to, applied: migration.applied });
  // With a PGlite directory, the admin command line reaches this process through its admin API.
  const localAdminToken = lock ? crypto.randomBytes(32).toString('base64url') : undefined;
  const server = await buildServer(config, db, { logger: log, ...faultFromEnv(), ...(localAdminToken ? { localAdminToken } : {}) });
  const bootstrap = process.env.CALLDESK_SERVER_ADMIN_PASSWORD;
  if (bootstrap && (await server.users.list()).length === 0) {
    await server.users.create({ id: 'admin', password: bootstrap, role: 'admin' });
    log.info('created the first admin user "admin"');
  }
  // The ACD router: every instance given Kamailio's evapi address competes for the router lock.
  const acd = config.acdEvapi
    ? new AcdRouter({ db, logger: log.child('acd'), evapi: config.acdEvapi, databaseUrl: config.databaseUrl, leaderPollMs: config.acdLeaderPollMs })
    : null;
  await acd?.start();
  const address = await server.app.listen({ host: config.host, port: config.port });
  log.info('listening', { url: address });
  if (lock && localAdminToken) lock.update({ url: address, adminToken: localAdminToken });
  // Tests and scripts read this line to learn the port.
  process.stdout.write(`CALLDESK_SERVER_LISTENING ${address}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await acd?.stop().catch(() => undefined);
    await server.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * Crash injection for the restart tests: `CALLDESK_SERVER_FAULT=push:applied:3` kills this process
 * (SIGKILL, no cleanup) the 3rd time a push reaches that point. Never set it in production.
 */
function faultFromEnv(): { fault?: (point: PushFaultPoint) => void } {
  const spec = process.env.CALLDESK_SERVER_FAULT;
  if (!spec) return {};
  const m = /^(push:applied|push:committed):(\d+)$/.exec(spec);
  if (!m) throw new Error(`CALLDESK_SERVER_FAULT must look like push:applied:3, got "${spec}"`);
  let left = Number(m[2]);
  return {
    fault: (point) => {
      if (point === m[1] && --left <= 0) process.kill(process.pid, 'SIGKILL');
    },
  };
}

main().catch((err: Error) => {
  process.stderr.write(`server failed to start: ${err.message}\n`);
  process.exit(1);
});
