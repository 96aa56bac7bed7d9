import type { Migration } from '../migration';
import { m001Settings } from './001_settings';
import { m002Customers } from './002_customers';
import { m003CustomerSearch } from './003_customer_search';

/** All migrations in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001Settings, m002Customers, m003CustomerSearch];
