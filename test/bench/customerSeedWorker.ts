import { parentPort, workerData } from 'node:worker_threads';
import type { CustomerRepository } from '../../electron/core/customer/customerRepository';
import { CustomerService } from '../../electron/core/customer/customerService';
import { demoShowcase, generateDemoCustomers } from '../../electron/core/customer/demoData';
import { createLogRoot } from '../../electron/core/log/logger';

// Bundled by customers.bench.ts and run in a worker thread: generates and validates customers
// (the CPU-heavy half of seeding) while the main thread writes the previous batch to SQLite.
const { count, seed, now, batchSize, region, pbxPrefixes } = workerData as {
  count: number;
  seed: number;
  now: number;
  batchSize: number;
  region: string;
  pbxPrefixes: string[];
};
const service = new CustomerService(
  null as unknown as CustomerRepository,
  { now: () => now },
  { phone: () => ({ defaultRegion: region, pbxPrefixes }), dormantDays: () => 90 },
  createLogRoot([]).createLogger('seed-worker'),
);
// At most two batches in flight: the main thread acknowledges each one it has written.
let inFlight = 0;
let wake: (() => void) | null = null;
parentPort?.on('message', () => {
  inFlight -= 1;
  wake?.();
  wake = null;
});

async function run(): Promise<void> {
  let batch = demoShowcase(now).map((c) => service.prepare(c));
  const send = async () => {
    while (inFlight >= 2) await new Promise<void>((resolve) => (wake = resolve));
    inFlight += 1;
    parentPort?.postMessage(JSON.stringify(batch));
    batch = [];
  };
  for (const input of generateDemoCustomers(count, { seed, now })) {
    batch.push(service.prepare(input));
    if (batch.length >= batchSize) await send();
  }
  if (batch.length > 0) await send();
  while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
  parentPort?.postMessage('done');
  parentPort?.close();
}

void run();
