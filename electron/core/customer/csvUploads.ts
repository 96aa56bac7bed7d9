import crypto from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import { CSV_MAX_BYTES, type CsvUploadState } from '../../../shared/customer/csv';
import type { Clock } from '../adapters';

/** Uploads kept at once (an agent previews one file; a second window may upload another). */
const MAX_UPLOADS = 3;
/** An upload untouched this long is dropped (the agent walked away from the import screen). */
export const UPLOAD_IDLE_MS = 30 * 60_000;

interface Upload {
  id: string;
  size: number;
  chunks: Buffer[];
  received: number;
  touchedAt: number;
}

/**
 * CSV files on their way into the core, in chunks small enough for any transport (the browser
 * host's WebSocket refuses messages over 1 MiB). Chunks must arrive in order at the announced
 * offsets and may not exceed the announced size; a file is usable once every byte is in. Kept in
 * memory, bounded in number and size, dropped when idle.
 */
export class CsvUploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly clock: Clock) {}

  /** Starts an upload of `size` bytes (at most 64 MB); the oldest upload goes when too many are kept. */
  begin(size: number): CsvUploadState {
    if (!Number.isInteger(size) || size <= 0 || size > CSV_MAX_BYTES) throw new AppError('INVALID_PAYLOAD', 'The file is larger than 64 MB');
    this.expire();
    while (this.uploads.size >= MAX_UPLOADS) this.uploads.delete(this.uploads.keys().next().value!);
    const id = crypto.randomBytes(12).toString('base64url');
    this.uploads.set(id, { id, size, chunks: [], received: 0, touchedAt: this.clock.now() });
    return { uploadId: id, size, received: 0 };
  }

  /** Appends the chunk at `offset` (which must be the bytes received so far). */
  append(uploadId: string, offset: number, bytes: Buffer): CsvUploadState {
    const u = this.find(uploadId);
    if (offset !== u.received) throw new AppError('INVALID_PAYLOAD', `Upload chunk at byte ${offset}, expected byte ${u.received}`);
    if (u.received + bytes.length > u.size) throw new AppError('INVALID_PAYLOAD', `The upload is larger than the announced ${u.size} bytes`);
    u.chunks.push(bytes);
    u.received += bytes.length;
    u.touchedAt = this.clock.now();
    return { uploadId: u.id, size: u.size, received: u.received };
  }

  /** The whole file; INVALID_PAYLOAD while bytes are missing, NOT_FOUND for an unknown or expired upload. */
  bytes(uploadId: string): Buffer {
    const u = this.find(uploadId);
    if (u.received !== u.size) throw new AppError('INVALID_PAYLOAD', `The upload is incomplete: ${u.received} of ${u.size} bytes`);
    if (u.chunks.length > 1) u.chunks = [Buffer.concat(u.chunks)];
    u.touchedAt = this.clock.now();
    return u.chunks[0] ?? Buffer.alloc(0);
  }

  private find(uploadId: string): Upload {
    this.expire();
    const u = this.uploads.get(uploadId);
    if (!u) throw new AppError('NOT_FOUND', 'The uploaded file is no longer available; choose the file again');
    return u;
  }

  private expire(): void {
    const now = this.clock.now();
    for (const u of this.uploads.values()) if (now - u.touchedAt > UPLOAD_IDLE_MS) this.uploads.delete(u.id);
  }
}
