import os from 'node:os';
import path from 'node:path';
import type { CorePaths } from '../adapters';

/** Where IT puts the system policy file on each OS (overridable with CALLDESK_POLICY_FILE). */
export function defaultPolicyFile(platform: string, env: Record<string, string | undefined>): string {
  if (env.CALLDESK_POLICY_FILE) return env.CALLDESK_POLICY_FILE;
  if (platform === 'win32') return path.join(env.ProgramData ?? 'C:\\ProgramData', 'CallDesk', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/CallDesk/policy.json';
  return '/etc/calldesk/policy.json';
}

/** The per-user data folder of the browser host (Electron uses app.getPath('userData')). */
export function defaultDataDir(platform: string, env: Record<string, string | undefined>): string {
  if (env.CALLDESK_DATA_DIR) return env.CALLDESK_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'CallDesk');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'CallDesk');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'calldesk');
}

/** All core paths under one data folder. */
export function corePaths(dataDir: string, policyFile: string): CorePaths {
  return {
    dataDir,
    databaseFile: path.join(dataDir, 'calldesk.sqlite'),
    logFile: path.join(dataDir, 'logs', 'calldesk.log'),
    policyFile,
  };
}
