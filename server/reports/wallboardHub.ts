import type { WebSocket } from 'ws';
import type { Db } from '../db/db';
import type { Logger } from '../log';
import { buildLiveBoard } from './liveBoard';
import { wallboardView } from './wallboardView';
import type { WallboardSpec, WallboardTokens } from './wallboardToken';

const ALL = { principal: { id: 'wallboard', role: 'admin' as const, team: null }, agents: null, queues: null, key: 'all' };

/**
 * The wallboard sockets (`/wallboard/socket?token=`): each gets its view at once, on every change
 * the board publisher sees, and every second (the longest wait ticks). Read-only: the socket takes
 * no message.
 */
export class WallboardHub {
  private readonly sockets = new Map<WebSocket, WallboardSpec>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly opts: { db: Db; tokens: WallboardTokens; logger: Logger; timeZone: string; now: () => number; tickMs?: number }) {}

  /** Takes a socket whose URL carried `token`; closes it with 4401 when the token is not genuine. */
  accept(socket: WebSocket, token: string): void {
    const spec = this.opts.tokens.verify(token);
    if (!spec) {
      socket.close(4401, 'invalid wallboard token');
      return;
    }
    this.sockets.set(socket, spec);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    socket.on('message', () => undefined);
    if (!this.timer) {
      this.timer = setInterval(() => void this.refresh(), this.opts.tickMs ?? 1000);
      this.timer.unref();
    }
    void this.refresh();
  }

  /** Sends every wallboard its current view. */
  async refresh(): Promise<void> {
    if (this.sockets.size === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      return;
    }
    if (this.busy) return;
    this.busy = true;
    try {
      const now = this.opts.now();
      const board = await buildLiveBoard(this.opts.db, ALL, now, this.opts.timeZone);
      for (const [socket, spec] of this.sockets) {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'wallboard', view: wallboardView(board, spec, now) }));
      }
    } catch (err) {
      this.opts.logger.warn('wallboard refresh failed', { error: (err as Error).message });
    } finally {
      this.busy = false;
    }
  }

  /** Closes every wallboard socket. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const s of this.sockets.keys()) s.close(1001, 'server stopping');
    this.sockets.clear();
  }
}
