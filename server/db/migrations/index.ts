import type { ServerMigration } from '../migrate';
import { m001Initial } from './001_initial';

/** Every server migration, in order. Append only; never edit a shipped one. */
export const SERVER_MIGRATIONS: readonly ServerMigration[] = [m001Initial];
