import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { USER_ROLES } from '../shared/sync/protocol';
import { loadServerConfig } from './config';
import { CLI_PRINCIPAL } from './app';
import { remoteAdminOps, type AdminOps } from './adminRemote';
import { DataDirBusyError, readDataDirLock } from './db/dataDirLock';
import { openServerDb } from './db/open';
import { createServerLogger } from './log';
import { ConfigService } from './services/configService';
import { CustomerService } from './services/customers';
import { UserService } from './services/users';
import { QueueService } from './acd/queueService';
import { ProvisioningService } from './services/provisioning';
import { decodeCsv } from '../shared/customer/csvDecode';

const USAGE = `Usage: npm run server:admin -- <command> [options]
  create-user --id ID --password PW [--role agent|supervisor|admin] [--team TEAM] [--name "Display Name"]
  update-user --id ID [--role ROLE] [--team TEAM|--no-team] [--password PW] [--disable|--enable]
  list-users
  import-customers --file FILE.csv [--region CN]
  create-queue --id ID --name NAME [--numbers 600,601] [--members 1001:7,1002] [--value JSON (more settings)]
  update-queue --id ID [--numbers ...] [--members ...] [--value JSON]   (lists given replace the old ones)
  list-queues
  delete-queue --id ID
  set-extension --id AGENT --extension SIPUSER|--no-extension   (the SIP user an agent is rung at)
  assign-sip --id USER --uri sip:1001@pbx.example --server wss://pbx.example:7443 --sip-password PW [--auth-user U] [--name "Display Name"]
  import-sip-accounts --file FILE.csv    (columns: user, sip_uri, sip_server, sip_password [, auth_user, display_name, team, queues])
  list-sip-accounts                      (never shows passwords)
  remove-sip --id USER
  set-config --key KEY --value JSON      (keys: wrapup.dispositions, agent.notReadyReasons, tickets.slaRules,
                                          tickets.categories, scope.customers, scope.tickets)
Database: DATABASE_URL (PostgreSQL) or CALLDESK_SERVER_DATA_DIR (embedded PGlite directory; while a server\nruns on it, commands go through that server's admin API).`;

/**
 * The admin command line: works on the database the server uses (PostgreSQL: directly, next to
 * running servers; PGlite: through the running server's admin API, else directly with the directory locked).
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      id: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      team: { type: 'string' },
      'no-team': { type: 'boolean' },
      name: { type: 'string' },
      disable: { type: 'boolean' },
      enable: { type: 'boolean' },
      file: { type: 'string' },
      region: { type: 'string' },
      key: { type: 'string' },
      value: { type: 'string' },
      numbers: { type: 'string' },
      members: { type: 'string' },
      extension: { type: 'string' },
      'no-extension': { type: 'boolean' },
      uri: { type: 'string' },
      server: { type: 'string' },
      'sip-password': { type: 'string' },
      'auth-user': { type: 'string' },
    },
  });
  const out = (v: unknown) => process.stdout.write(`${typeof v === 'string' ? v : JSON.stringify(v, null, 2)}\n`);
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  const { config } = loadServerConfig();
  if (!config.databaseUrl && !config.dataDir) {
    process.stderr.write('Set DATABASE_URL or CALLDESK_SERVER_DATA_DIR: an in-memory database would be lost at exit.\n');
    return 2;
  }
  const role = values.role as (typeof USER_ROLES)[number] | undefined;
  if (role !== undefined && !USER_ROLES.includes(role)) throw new Error(`--role must be one of ${USER_ROLES.join(', ')}`);
  const run = async (ops: AdminOps): Promise<number> => {
    switch (command) {
      case 'create-user':
        if (!values.id || !values.password) throw new Error('create-user needs --id and --password');
        out(await ops.createUser({ id: values.id, password: values.password, role: role ?? 'agent', team: values.team ?? null, ...(values.name ? { displayName: values.name } : {}) }));
        return 0;
      case 'update-user':
        if (!values.id) throw new Error('update-user needs --id');
        out(
          await ops.updateUser(values.id, {
            ...(role ? { role } : {}),
            ...(values.team ? { team: values.team } : values['no-team'] ? { team: null } : {}),
            ...(values.password ? { password: values.password } : {}),
            ...(values.disable ? { disabled: true } : values.enable ? { disabled: false } : {}),
            ...(values.name ? { displayName: values.name } : {}),
          }),
        );
        return 0;
      case 'list-users':
        out(await ops.listUsers());
        return 0;
      case 'import-customers':
        if (!values.file) throw new Error('import-customers needs --file');
        out(await ops.importCustomers(decodeCsv(fs.readFileSync(values.file)).text, values.region));
        return 0;
      case 'create-queue':
        if (!values.id || !values.name) throw new Error('create-queue needs --id and --name');
        out(await ops.createQueue({ ...queueFlags(values), id: values.id, name: values.name }));
        return 0;
      case 'update-queue':
        if (!values.id) throw new Error('update-queue needs --id');
        out(await ops.updateQueue(values.id, { ...queueFlags(values), ...(values.name ? { name: values.name } : {}) }));
        return 0;
      case 'list-queues':
        out(await ops.listQueues());
        return 0;
      case 'delete-queue':
        if (!values.id) throw new Error('delete-queue needs --id');
        out(await ops.deleteQueue(values.id));
        return 0;
      case 'set-extension':
        if (!values.id || (values.extension === undefined && !values['no-extension'])) throw new Error('set-extension needs --id and --extension (or --no-extension)');
        out(await ops.setExtension(values.id, values.extension ?? null));
        return 0;
      case 'assign-sip':
        if (!values.id || !values.uri || !values.server || values['sip-password'] === undefined) throw new Error('assign-sip needs --id, --uri, --server and --sip-password');
        out(
          await ops.assignSip(values.id, {
            uri: values.uri,
            server: values.server,
            password: values['sip-password'],
            ...(values['auth-user'] ? { authUser: values['auth-user'] } : {}),
            ...(values.name ? { displayName: values.name } : {}),
          }),
        );
        return 0;
      case 'import-sip-accounts': {
        if (!values.file) throw new Error('import-sip-accounts needs --file');
        const report = await ops.importSipAccounts(decodeCsv(fs.readFileSync(values.file)).text);
        out(report);
        return report.rejected.length > 0 ? 1 : 0;
      }
      case 'list-sip-accounts':
        out(await ops.listSipAccounts());
        return 0;
      case 'remove-sip':
        if (!values.id) throw new Error('remove-sip needs --id');
        out(await ops.removeSip(values.id));
        return 0;
      case 'set-config':
        if (!values.key || values.value === undefined) throw new Error('set-config needs --key and --value');
        out(await ops.setConfig(values.key, JSON.parse(values.value)));
        return 0;
      default:
        process.stderr.write(`Unknown command "${command}"\n${USAGE}\n`);
        return 2;
    }
  };
  if (!config.databaseUrl && config.dataDir) {
    // PGlite allows one process per directory: a running server takes the command through its
    // admin API; any other holder means no.
    const holder = readDataDirLock(config.dataDir);
    if (holder?.holder === 'server' && holder.url && holder.adminToken) {
      process.stderr.write(`The server (process ${holder.pid}) holds ${config.dataDir}: sending the command to its admin API at ${holder.url}\n`);
      return run(remoteAdminOps(holder.url, holder.adminToken));
    }
    if (holder) throw new DataDirBusyError(config.dataDir, holder);
  }
  const log = createServerLogger('admin', 'warn');
  const { db } = await openServerDb(config, log, 'admin');
  try {
    const users = new UserService(db, config.passwordCost);
    const settings = new ConfigService(db);
    await settings.seedDefaults();
    const customers = new CustomerService(db, settings);
    const queues = new QueueService(db);
    const provisioning = new ProvisioningService(db);
    return await run({
      assignSip: (id, account) => provisioning.assign(id, account),
      importSipAccounts: (csv) => provisioning.importCsv(csv),
      listSipAccounts: () => provisioning.list(),
      removeSip: async (id) => {
        await provisioning.remove(id);
        return { removed: id };
      },
      createUser: (u) => users.create(u),
      updateUser: (id, change) => users.update(id, change),
      listUsers: () => users.list(),
      importCustomers: (csv, defaultRegion) => customers.importCsv({ csv, ...(defaultRegion ? { defaultRegion } : {}) }),
      setConfig: (key, value) => settings.set(key, value, CLI_PRINCIPAL.id),
      createQueue: (queue) => queues.create(queue),
      updateQueue: (id, change) => queues.update(id, change),
      listQueues: () => queues.list(),
      deleteQueue: async (id) => {
        await queues.remove(id);
        return { deleted: id };
      },
      setExtension: async (agentId, extension) => {
        await queues.setExtension(agentId, extension);
        return { agentId, extension };
      },
    });
  } finally {
    await db.close();
  }
}

/**
 * Queue fields from the command line: `--value` (JSON object of settings), `--numbers 600,601`,
 * `--members 1001:7,1002` (agent[:skill]).
 */
function queueFlags(values: { value?: string; numbers?: string; members?: string }): Record<string, unknown> {
  const extra: unknown = values.value === undefined ? {} : JSON.parse(values.value);
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw new Error('--value must be a JSON object of queue settings');
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  return {
    ...extra,
    ...(values.numbers !== undefined ? { numbers: list(values.numbers) } : {}),
    ...(values.members !== undefined
      ? {
          members: list(values.members).map((m) => {
            const [agentId, skill] = m.split(':');
            if (skill !== undefined && !/^\d+$/.test(skill)) throw new Error(`--members: "${m}" must look like agent or agent:skill (skill 1..10)`);
            return { agentId, ...(skill !== undefined ? { skill: Number(skill) } : {}) };
          }),
        }
      : {}),
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    const message = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') : err.message;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
