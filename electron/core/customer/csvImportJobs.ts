import crypto from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import { csvImportStartSchema, type CsvImportJob } from '../../../shared/customer/csv';
import type { Clock } from '../adapters';
import type { Logger } from '../log/logger';
import type { CsvImportOptions, CustomerCsvService } from './customerCsvService';
import type { CsvUploads } from './csvUploads';

/** Progress events at most this often while a job runs (the last one always goes out). */
const PROGRESS_EVERY_MS = 200;
/** Finished jobs remembered for `status` (a window that reconnects reads the result). */
const KEEP_FINISHED = 5;

interface Job {
  snapshot: CsvImportJob;
  cancelRequested: boolean;
  emittedAt: number;
}

/**
 * CSV imports as jobs: `start` answers at once with the job, the import runs in the core in chunks
 * (the event loop, and so searches, calls and the UI, run between them) and reports progress
 * ("N of M rows") on every chunk, throttled. One import runs at a time (a second start is a
 * CONFLICT). Cancel stops after the current chunk; what was written stays and the report says so.
 */
export class CsvImportJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly csv: CustomerCsvService,
    private readonly uploads: CsvUploads,
    private readonly emit: (job: CsvImportJob) => void,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Starts importing a finished upload; the answer is the running job. */
  start(input: unknown): CsvImportJob {
    const req = csvImportStartSchema.parse(input);
    if ([...this.jobs.values()].some((j) => j.snapshot.state === 'running')) throw new AppError('CONFLICT', 'An import is already running; wait for it or cancel it');
    const bytes = this.uploads.bytes(req.uploadId);
    const jobId = crypto.randomBytes(9).toString('base64url');
    const job: Job = {
      snapshot: { jobId, state: 'running', done: 0, total: 0, dryRun: req.dryRun, report: null, error: null },
      cancelRequested: false,
      emittedAt: 0,
    };
    this.jobs.set(jobId, job);
    this.forgetOld();
    this.logger.info('csv import job started', { jobId, bytes: bytes.length, dryRun: req.dryRun });
    void this.run(job, bytes, { encoding: req.encoding, dryRun: req.dryRun, ...(req.mapping ? { mapping: req.mapping } : {}) });
    return { ...job.snapshot };
  }

  /** The job as it stands; NOT_FOUND for an unknown one. */
  status(jobId: string): CsvImportJob {
    return { ...this.find(jobId).snapshot };
  }

  /** Asks a running job to stop after its current chunk; a finished job is answered as it is. */
  cancel(jobId: string): CsvImportJob {
    const job = this.find(jobId);
    if (job.snapshot.state === 'running') job.cancelRequested = true;
    return { ...job.snapshot };
  }

  private async run(job: Job, bytes: Buffer, opts: Pick<CsvImportOptions, 'encoding' | 'mapping' | 'dryRun'>): Promise<void> {
    // Let the start answer go out before the file is parsed (a large file takes a moment).
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const report = await this.csv.importBytes(bytes, {
        ...opts,
        cancelled: () => job.cancelRequested,
        onProgress: (done, total) => this.update(job, { done, total }),
      });
      this.update(job, { state: job.cancelRequested && job.snapshot.done < job.snapshot.total ? 'cancelled' : 'done', report }, true);
    } catch (err) {
      const error = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL' as const, message: (err as Error).message };
      this.logger.warn('csv import job failed', { jobId: job.snapshot.jobId, code: error.code, error: error.message });
      this.update(job, { state: 'failed', error }, true);
    }
  }

  private update(job: Job, change: Partial<CsvImportJob>, force = false): void {
    job.snapshot = { ...job.snapshot, ...change };
    const now = this.clock.now();
    if (!force && now - job.emittedAt < PROGRESS_EVERY_MS && job.snapshot.done !== 0) return;
    job.emittedAt = now;
    this.emit({ ...job.snapshot });
  }

  private find(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('NOT_FOUND', `Import job ${jobId} does not exist`);
    return job;
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.snapshot.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.snapshot.jobId);
  }
}
