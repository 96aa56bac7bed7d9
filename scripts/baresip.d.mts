import type { ChildProcess } from 'node:child_process';

/** Finds the baresip binary, or null. */
export function findBaresip(): string | null;
/** One line telling a newcomer how to get baresip. */
export const BARESIP_HINT: string;
/** baresip's names of the codecs a test may ask for. */
export const BARESIP_CODECS: Record<'pcmu' | 'pcma' | 'g722' | 'opus', string>;
/** A 16-bit WAV of a 440 Hz tone (8 kHz mono by default). */
export function toneWav(seconds?: number, rate?: number, hz?: number, channels?: number): Buffer;
/** Raw G.711 u-law (8 kHz) of a 440 Hz tone. */
export function toneUlaw(seconds?: number, rate?: number, hz?: number): Buffer;

/** Options of {@link startBaresip}. */
export interface BaresipOptions {
  /** The PBX's SIP port on 127.0.0.1 (UDP). */
  sipPort: number;
  user: string;
  password: string;
  /** Codecs offered/accepted, in order (baresip names pass through, e.g. 'GSM'). */
  codecs?: ('pcmu' | 'pcma' | 'g722' | 'opus' | (string & {}))[];
  autoAnswer?: boolean;
  dir?: string;
  timeoutMs?: number;
}

/** One event baresip reported over ctrl_tcp. */
export interface BaresipEvent {
  type: string;
  param?: string;
  [key: string]: unknown;
}

/** A running baresip. */
export class BaresipPhone {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly events: BaresipEvent[];
  log(): string;
  command(command: string, params?: string): Promise<string>;
  waitFor(pred: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  has(type: string, from?: number): boolean;
  dial(uri: string): Promise<string>;
  accept(): Promise<string>;
  hangup(): Promise<string>;
  hold(): Promise<string>;
  resume(): Promise<string>;
  sendDtmf(digits: string): Promise<string>;
  dtmfReceived(): string;
  audioStats(): Promise<{ txPackets: number; rxPackets: number; encoder: string; text: string }>;
  stop(): Promise<void>;
}

/** Starts baresip registered as `user` on the PBX at 127.0.0.1:sipPort (UDP). */
export function startBaresip(options: BaresipOptions): Promise<BaresipPhone>;
