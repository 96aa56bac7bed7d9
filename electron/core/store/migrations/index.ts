import type { Migration } from '../migration';
import { m001Settings } from './001_settings';

/** All migrations in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001Settings];
