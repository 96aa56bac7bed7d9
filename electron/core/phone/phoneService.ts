import { Invitation, Inviter, SessionState, UserAgent, type Notification, type Session, type URI } from 'sip.js';
import { AppError, assertNever } from '../../../shared/api/result';
import type { CallSnapshot, TransferStatus } from '../../../shared/phone/call';
import { isEstablished, isLive } from '../../../shared/phone/callState';
import { callFailureFromError } from '../../../shared/phone/callFailure';
import { normaliseDialTarget } from '../../../shared/phone-number/sipUri';
import { callIdentity, type CallIdentity } from '../../../shared/phone-number/callerId';
import { CallDialing, CallHeld, CallResumed, CallRinging } from './callEvents';
import { sleep } from '../adapters/scheduler';
import { decideAsUac, offerHeaders } from './sessionTimer';
import { intervalAfterTooSmall, retryInviteHeaders } from './sessionIntervalRetry';
import { peerSupportsReplaces, takeoverReferTarget } from './replacesFallback';
import type { CallRecord } from './phoneTypes';
import { InboundCalls } from './inboundCalls';

export { DEFAULT_TIMING, type PhoneAccount, type PhoneBehaviour, type PhoneServiceOptions, type PhoneTiming } from './phoneTypes';

/**
 * The phone's façade: its public API (lifecycle, state, call control). The code behind it is
 * split by responsibility into layers, each in its own file, bottom up: `callTable.ts` (call
 * records, snapshots, timers, guards, re-INVITEs, lifecycle events) -> `callMedia.ts` (media per
 * call) -> `registration.ts` (user agent, transport watchdog, REGISTER) -> `inboundCalls.ts`
 * (INVITE, REFER received) -> this file (dial, answer, hold, transfer...).
 *
 * The softphone's signalling: one sip.js UserAgent and Registerer for one account, its calls, and
 * recovery (keep-alive probes, reconnect with capped exponential backoff and jitter, re-register,
 * re-INVITE of established calls after a transport loss or a media host restart). Media is delegated
 * to a {@link MediaHost} through a RemoteSessionDescriptionHandler per call.
 *
 * Every public call method throws AppError: NOT_FOUND (unknown call), CONFLICT (illegal in the
 * call's state), UNAVAILABLE (not registered / transport down), INVALID_PAYLOAD (bad target).
 */
export class PhoneService extends InboundCalls {
  // ---------------------------------------------------------------- call control

  /** Places a call to a number (on the account's domain) or a sip: URI. */
  async dial(target: string, extraHeaders: Record<string, string> = {}): Promise<CallSnapshot> {
    const ua = this.requireRegistered();
    this.requireMedia();
    const t = normaliseDialTarget(target);
    if (!t) throw new AppError('INVALID_PAYLOAD', `"${target}" is not a number or a sip: URI`);
    const uri = UserAgent.makeURI(t.kind === 'uri' ? t.value : `sip:${t.value}@${this.aor.host}`);
    if (!uri) throw new AppError('INVALID_PAYLOAD', `"${target}" is not a valid SIP destination`);
    const headers = Object.entries(extraHeaders).map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, ' ')}`);
    // A consultation or a second call: the party we were talking to goes on hold first.
    for (const other of this.calls.values()) if (other.state === 'active') await this.hold(other.id);
    const inviter = new Inviter(ua, uri, { extraHeaders: [...headers, ...offerHeaders(this.timing.sessionTimer)] });
    const first = inviter.request;
    // A 422 is retried with the same Call-ID and the next CSeq (InviterOptions.params passes both through).
    const make = (seconds: number, attempt: number) =>
      new Inviter(ua, uri, { extraHeaders: retryInviteHeaders(headers, this.timing.sessionTimer, seconds), params: { callId: first.callId, cseq: first.cseq + attempt } as never });
    return this.startOutbound(inviter, callIdentity('outbound', { to: `<${uri.toString()}>` }), undefined, { offeredSeconds: this.timing.sessionTimer.expiresSeconds, retries: 0, make });
  }

  protected async startOutbound(inviter: Inviter, identity: CallIdentity, linkedCallId?: string, intervalRetry?: CallRecord['intervalRetry']): Promise<CallSnapshot> {
    const rec = this.addCall(inviter, 'outbound', identity);
    if (linkedCallId) rec.linkedCallId = linkedCallId;
    if (intervalRetry) rec.intervalRetry = intervalRetry;
    this.addTimer(rec, this.options.behaviour().ringTimeoutSeconds * 1000, () => {
      if (rec.state !== 'dialing' && rec.state !== 'ringing') return;
      this.log.info('no answer: cancelling', { callId: rec.id });
      rec.cancelledBy = 'local-timeout';
      void (rec.session as Inviter).cancel().catch(() => undefined);
    });
    this.log.info('dialing', { callId: rec.id, to: identity.remote.uri });
    this.announce(CallDialing, rec);
    this.emit();
    await this.sendInvite(rec, inviter);
    return this.snapshot(rec);
  }

  /** Sends the INVITE of an outbound call (again after a 422: the record keeps its id and timers). */
  protected async sendInvite(rec: CallRecord, inviter: Inviter): Promise<void> {
    inviter.delegate = this.sessionDelegate(rec);
    try {
      await inviter.invite({
        requestDelegate: {
          onProgress: (response) => {
            const code = response.message.statusCode ?? 0;
            if ((code === 180 || code === 183) && rec.state === 'dialing') {
              rec.times.ringing = this.options.clock.now();
              this.move(rec, 'ringing');
              this.announce(CallRinging, rec);
              this.emit();
            }
          },
          onReject: (response) => {
            rec.finalCode = response.message.statusCode;
            rec.finalPhrase = response.message.reasonPhrase;
            const r = rec.intervalRetry;
            const seconds = r && rec.finalCode === 422 && !rec.cancelledBy ? intervalAfterTooSmall(response.message.getHeader('min-se'), r.offeredSeconds, r.retries) : null;
            if (r && seconds !== null) {
              this.log.info('422 session interval too small: retrying with the Min-SE asked for', { callId: rec.id, seconds });
              r.retries++;
              r.offeredSeconds = seconds;
              r.next = r.make(seconds, r.retries);
            }
          },
          onAccept: (response) => {
            rec.peerSupported = response.message.getHeaders('supported');
            const plan = decideAsUac({ sessionExpires: response.message.getHeader('session-expires') });
            if (plan) rec.timerPlan = plan;
          },
        },
      });
    } catch (err) {
      this.log.warn('INVITE failed', { callId: rec.id, error: (err as Error).message });
      rec.endAs ??= { reason: 'failed', message: (err as Error).message };
      this.finalize(rec);
    }
  }

  /** After a 422, the same call goes on with the raised INVITE; true when it did. */
  protected resendAfterTooSmall(rec: CallRecord): boolean {
    const next = rec.intervalRetry?.next;
    if (!next || !isLive(rec.state)) return false;
    delete rec.intervalRetry!.next;
    delete rec.finalCode;
    delete rec.finalPhrase;
    this.sessionIds.delete(rec.session);
    rec.session = next;
    this.sessionIds.set(next, rec.id);
    this.watchSession(rec, next);
    void this.sendInvite(rec, next);
    return true;
  }

  /** Answers a ringing inbound call; other established calls are put on hold first (call waiting). */
  async answer(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!(rec.session instanceof Invitation) || rec.state !== 'ringing') {
      throw new AppError('CONFLICT', `Call ${callId} is not ringing (state ${rec.state})`);
    }
    this.requireMedia();
    if (!rec.linkedCallId || this.calls.get(rec.linkedCallId)?.endAs?.reason !== 'replaced') {
      await this.holdOthers(rec);
    }
    const invitation = rec.session;
    this.move(rec, 'answering');
    rec.waiting = false;
    this.emit();
    try {
      await invitation.accept(rec.timerHeaders ? { extraHeaders: rec.timerHeaders } : undefined);
    } catch (err) {
      // The raw detail (often a WebRTC/SDP exception) goes to the log and Diagnostics; the agent
      // gets the failure kind, shown in words by the UI.
      const detail = (err as Error).message;
      const failure = callFailureFromError(detail);
      this.log.warn('answer failed', { callId, error: detail, failure });
      rec.endAs ??= { reason: 'failed', message: detail };
      this.finalize(rec);
      throw new AppError('UNAVAILABLE', `Could not answer: ${detail}`, { failure });
    }
    return this.snapshot(rec);
  }

  /** Rejects a ringing inbound call with 486 Busy Here or 603 Decline (default `sip.rejectCode`). */
  async reject(callId: string, code?: 486 | 603): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!(rec.session instanceof Invitation) || rec.state !== 'ringing') {
      throw new AppError('CONFLICT', `Call ${callId} is not ringing (state ${rec.state})`);
    }
    const statusCode = code ?? this.options.behaviour().rejectCode;
    rec.endAs = { reason: 'rejected', sipCode: statusCode };
    await rec.session.reject({ statusCode });
    this.finalize(rec);
    return this.snapshot(rec);
  }

  /** Ends a call in any live state: cancel (outbound ringing), reject (inbound ringing) or BYE. */
  async hangup(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isLive(rec.state)) throw new AppError('CONFLICT', `Call ${callId} has already ended`);
    this.endSession(rec, 'local');
    return this.snapshot(rec);
  }

  protected endSession(rec: CallRecord, by: 'local'): void {
    const s = rec.session;
    rec.hangupBy = by;
    if (s.state === SessionState.Established) {
      void s.bye().catch((err: Error) => {
        this.log.warn('BYE failed', { callId: rec.id, error: err.message });
        this.finalize(rec);
      });
    } else if (s instanceof Inviter) {
      rec.cancelledBy ??= 'local';
      void s.cancel().catch(() => this.finalize(rec));
    } else if (s instanceof Invitation) {
      rec.endAs ??= { reason: 'rejected', sipCode: this.options.behaviour().rejectCode };
      void s.reject({ statusCode: this.options.behaviour().rejectCode }).catch(() => this.finalize(rec));
    }
  }

  /** Puts an active call on hold (re-INVITE with a sendonly offer). */
  async hold(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (rec.state === 'held') return this.snapshot(rec);
    if (rec.state !== 'active') throw new AppError('CONFLICT', `Call ${callId} is not active (state ${rec.state})`);
    await this.reinvite(rec, true);
    if (rec.state === 'active') {
      this.move(rec, 'held');
      this.pauseWatchdog(rec);
      rec.times.holds.push({ start: this.options.clock.now() });
      this.announce(CallHeld, rec);
      this.emit();
    }
    return this.snapshot(rec);
  }

  /** Resumes a held call (re-INVITE with a sendrecv offer). Other active calls are held first. */
  async resume(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (rec.state === 'active') return this.snapshot(rec);
    if (rec.state !== 'held') throw new AppError('CONFLICT', `Call ${callId} is not on hold (state ${rec.state})`);
    await this.holdOthers(rec);
    await this.reinvite(rec, false);
    if (rec.state === 'held') {
      this.move(rec, 'active');
      this.pauseWatchdog(rec);
      const last = rec.times.holds[rec.times.holds.length - 1];
      if (last && last.end === undefined) last.end = this.options.clock.now();
      this.announce(CallResumed, rec);
      this.emit();
    }
    return this.snapshot(rec);
  }

  /** Makes `callId` the active call: every other established call is held, this one resumed. */
  async swap(callId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (rec.state === 'ringing' && rec.direction === 'inbound') return this.answer(callId);
    if (!isEstablished(rec.state)) throw new AppError('CONFLICT', `Call ${callId} is not established (state ${rec.state})`);
    if (rec.state === 'held') return this.resume(callId);
    await this.holdOthers(rec);
    return this.snapshot(rec);
  }

  /** Mutes or unmutes the microphone of a call (media host only: no signalling). */
  async mute(callId: string, muted: boolean): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isLive(rec.state)) throw new AppError('CONFLICT', `Call ${callId} has ended`);
    rec.muted = muted;
    this.options.media.setMuted(rec.id, muted);
    this.emit();
    return this.snapshot(rec);
  }

  /**
   * Sends DTMF: RFC 4733 through the media host, or SIP INFO (application/dtmf-relay), per
   * `sip.dtmfMethod`; SIP INFO also when the call has no telephone-event at its codec's clock rate.
   */
  async dtmf(callId: string, tones: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isEstablished(rec.state)) throw new AppError('CONFLICT', `Call ${callId} is not established (state ${rec.state})`);
    const preferred = this.options.behaviour().dtmfMethod;
    const method = this.dtmfPlanner.method(rec.id, preferred);
    if (method !== preferred) this.log.info('RFC 4733 not negotiated for this codec: DTMF by SIP INFO', { callId, ...this.dtmfPlanner.plan(rec.id) });
    switch (method) {
      case 'rfc4733': {
        const sdh = rec.session.sessionDescriptionHandler;
        if (!sdh || !sdh.sendDtmf(tones)) throw new AppError('UNAVAILABLE', 'No media for this call');
        break;
      }
      case 'info':
        for (const tone of tones) {
          if (tone === ',') {
            await sleep(this.scheduler, 500);
            continue;
          }
          await rec.session.info({
            requestOptions: {
              body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${tone}\r\nDuration=160` },
            },
          });
        }
        break;
      default:
        assertNever(method, 'DTMF method');
    }
    this.log.info('DTMF sent', { callId, method, count: tones.length });
    return this.snapshot(rec);
  }

  /**
   * A DTMF digit the media engine heard in the call's remote audio (RFC 4733 events, which the
   * browser plays out as tones, or in-band tones): shown with the call and logged.
   */
  async dtmfHeard(callId: string, digit: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isEstablished(rec.state)) throw new AppError('CONFLICT', `Call ${callId} is not established (state ${rec.state})`);
    rec.dtmfReceived += digit;
    this.log.info('DTMF received in audio (RFC 4733 or in-band)', { callId, digit });
    this.emit();
    return this.snapshot(rec);
  }

  /** Blind transfer: REFER the remote party to `target`; our leg ends once the transfer succeeded. */
  async transferBlind(callId: string, target: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    if (!isEstablished(rec.state)) throw new AppError('CONFLICT', `Call ${callId} is not established (state ${rec.state})`);
    const t = normaliseDialTarget(target);
    const uri = t ? UserAgent.makeURI(t.kind === 'uri' ? t.value : `sip:${t.value}@${this.aor.host}`) : undefined;
    if (!uri) throw new AppError('INVALID_PAYLOAD', `"${target}" is not a number or a sip: URI`);
    await this.refer(rec, uri, { kind: 'blind', target: uri.toString(), state: 'requested' });
    return this.snapshot(rec);
  }

  /**
   * Attended transfer: REFER the party of `callId` to the party of `consultCallId` with Replaces, so
   * they talk to each other; both of our legs end once the transfer succeeded.
   */
  async transferAttended(callId: string, consultCallId: string): Promise<CallSnapshot> {
    const rec = this.get(callId);
    const consult = this.get(consultCallId);
    if (!isEstablished(rec.state) || !isEstablished(consult.state)) {
      throw new AppError('CONFLICT', 'Both calls must be established for an attended transfer');
    }
    consult.linkedCallId = rec.id;
    rec.linkedCallId = consult.id;
    const consultTarget = consult.session.dialog?.remoteTarget;
    const withReplaces = peerSupportsReplaces(rec.peerSupported ?? ['replaces']) || !consultTarget;
    if (!withReplaces) this.log.info('the transferee does not support Replaces: referring to the consultation call by URI parameter', { callId: rec.id });
    const target = withReplaces || !consultTarget ? consult.session : takeoverReferTarget(consultTarget, consult.sipCallId);
    await this.refer(rec, target, { kind: 'attended', target: consult.remote.uri, state: 'requested' }, consult);
    return this.snapshot(rec);
  }

  protected async refer(rec: CallRecord, target: URI | Session, status: TransferStatus, consult?: CallRecord): Promise<void> {
    rec.transfer = status;
    this.emit();
    const fail = (code?: number) => {
      rec.transfer = { ...status, state: 'failed', ...(code ? { sipCode: code } : {}) };
      if (consult && consult.state !== 'ended') delete consult.endAs;
      this.log.warn('transfer failed', { callId: rec.id, code });
      this.emit();
    };
    await new Promise<void>((resolve, reject) => {
      rec.session
        .refer(target, {
          requestDelegate: {
            onAccept: () => {
              rec.transfer = { ...status, state: 'accepted' };
              // The transfer target ends the consultation leg itself (Replaces): that BYE is the transfer.
              if (consult) consult.endAs = { reason: 'transferred' };
              this.emit();
              resolve();
            },
            onReject: (response) => {
              fail(response.message.statusCode);
              reject(new AppError('CONFLICT', `Transfer refused: ${response.message.statusCode} ${response.message.reasonPhrase}`));
            },
          },
          onNotify: (notification: Notification) => {
            void notification.accept().catch(() => undefined);
            const frag = notification.request.body ?? '';
            const m = /SIP\/2\.0\s+(\d{3})/.exec(frag);
            const code = m ? Number(m[1]) : 0;
            if (code >= 200 && code < 300) {
              rec.transfer = { ...status, state: 'succeeded', sipCode: code };
              rec.endAs = { reason: 'transferred' };
              if (consult) consult.endAs = { reason: 'transferred' };
              this.log.info('transfer succeeded', { callId: rec.id, kind: status.kind });
              this.emit();
              if (rec.session.state === SessionState.Established) {
                rec.hangupBy = 'local';
                void rec.session.bye().catch(() => undefined);
              }
            } else if (code >= 300) {
              fail(code);
            }
          },
        })
        .catch((err: Error) => {
          fail();
          reject(new AppError('UNAVAILABLE', `Transfer failed: ${err.message}`));
        });
    });
  }
}
