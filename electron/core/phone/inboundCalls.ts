import { Invitation, Inviter, SessionState, type Referral } from 'sip.js';
import type { CallSnapshot } from '../../../shared/phone/call';
import { isEstablished, isLive } from '../../../shared/phone/callState';
import { callInfoAnswerAfter } from '../../../shared/phone-number/sipUri';
import { callIdentity, type CallIdentity } from '../../../shared/phone-number/callerId';
import { looksLikeSdp } from '../../../shared/phone/mediaHost';
import { parseQueueOffer, QUEUE_OFFER_HEADER } from '../../../shared/acd/offerHeader';
import { CallRinging } from './callEvents';
import { decideAsUas } from './sessionTimer';
import { takeoverCallId } from './replacesFallback';
import { MAX_INVITE_BYTES, type CallRecord } from './phoneTypes';
import { PhoneRegistration } from './registration';

/** The inbound layer of the phone (see phoneService.ts): INVITEs offered to the agent and REFERs received. */
export abstract class InboundCalls extends PhoneRegistration {
  /** Answers a ringing inbound call (call control). */
  abstract answer(callId: string): Promise<CallSnapshot>;
  /** Places an outbound call with an Inviter (call control). */
  protected abstract startOutbound(inviter: Inviter, identity: CallIdentity, linkedCallId?: string, intervalRetry?: CallRecord['intervalRetry']): Promise<CallSnapshot>;

  // ---------------------------------------------------------------- inbound calls

  protected onInvite(invitation: Invitation): void {
    const request = invitation.request;
    const body = request.body ?? '';
    const contentType = (request.getHeader('content-type') ?? '').toLowerCase();
    if (body && contentType.startsWith('application/sdp') && !looksLikeSdp(body)) {
      this.log.warn('rejecting INVITE with an unusable SDP offer', { sipCallId: request.callId, from: request.from.uri.toString() });
      void invitation.reject({ statusCode: 488 }).catch(() => undefined);
      return;
    }
    const size = request.data?.length ?? 0;
    if (size > MAX_INVITE_BYTES) {
      this.log.warn('rejecting an oversized INVITE', { sipCallId: request.callId, bytes: size, limit: MAX_INVITE_BYTES });
      void invitation.reject({ statusCode: 513 }).catch(() => undefined);
      return;
    }
    if (this.options.takeInvite?.(invitation)) return;
    const timer = decideAsUas({ sessionExpires: request.getHeader('session-expires'), supported: request.getHeaders('supported') }, this.timing.sessionTimer);
    if (timer.kind === 'reject') {
      this.log.info('session interval too small: 422', { sipCallId: request.callId, asked: request.getHeader('session-expires'), minSe: timer.minSe });
      void invitation.reject({ statusCode: 422, extraHeaders: [`Min-SE: ${timer.minSe}`] }).catch(() => undefined);
      return;
    }
    const behaviour = this.options.behaviour();
    const rec = this.addCall(invitation, 'inbound', callIdentity('inbound', {
      pAssertedIdentity: request.getHeader('p-asserted-identity'),
      from: request.getHeader('from'),
      privacy: request.getHeader('privacy'),
    }));
    const queue = parseQueueOffer(request.getHeader(QUEUE_OFFER_HEADER));
    if (queue) rec.queue = queue;
    for (const name of behaviour.mappedHeaders) {
      const v = request.getHeader(name);
      if (v !== undefined) rec.headers[name] = v;
    }
    rec.times.ringing = this.options.clock.now();
    rec.state = 'ringing';
    if (timer.kind === 'timer') {
      rec.timerHeaders = timer.headers;
      rec.timerPlan = { seconds: timer.seconds, weRefresh: timer.weRefresh };
    }
    invitation.delegate = {
      ...this.sessionDelegate(rec),
      onCancel: () => {
        rec.cancelledBy = 'remote';
      },
      onAck: () => {
        rec.acked = true;
        for (const w of rec.ackWaiters.splice(0)) w();
      },
    };

    rec.peerSupported = invitation.request.getHeaders('supported');
    // A transferee without Replaces support names the call in the Request-URI instead (replacesFallback).
    const takeover = invitation.request.ruri ? takeoverCallId(invitation.request.ruri) : null;
    const taken = takeover ? [...this.calls.values()].find((c) => c !== rec && c.sipCallId === takeover && isEstablished(c.state)) : undefined;
    const replacee = invitation.replacee ?? taken?.session;
    if (replacee) {
      // Attended transfer target: this INVITE replaces a call we have; take it over without ringing.
      const old = this.calls.get(this.sessionIds.get(replacee) ?? '');
      if (old) {
        old.endAs = { reason: 'replaced' };
        rec.linkedCallId = old.id;
      }
      this.log.info('INVITE with Replaces: taking over the call', { callId: rec.id, replaces: old?.id, byUriParameter: Boolean(taken) });
      this.announce(CallRinging, rec);
      this.emit();
      void this.answer(rec.id)
        .then(() => {
          // sip.js ends a Replaces replacee itself; the URI-parameter takeover is ours to end.
          if (taken && taken.session.state === SessionState.Established) {
            taken.hangupBy = 'local';
            void taken.session.bye().catch(() => undefined);
          }
        })
        .catch((err: Error) => this.log.warn('answering a replacing INVITE failed', { error: err.message }));
      return;
    }

    const othersLive = [...this.calls.values()].some((c) => c !== rec && isLive(c.state));
    rec.waiting = othersLive;
    if (behaviour.doNotDisturb) {
      this.log.info('do-not-disturb: rejecting inbound call', { callId: rec.id, code: behaviour.rejectCode });
      rec.endAs = { reason: 'missed', sipCode: behaviour.rejectCode, message: 'do-not-disturb' };
      void invitation.reject({ statusCode: behaviour.rejectCode }).catch(() => undefined);
      return;
    }
    this.addTimer(rec, behaviour.ringTimeoutSeconds * 1000, () => {
      if (rec.state !== 'ringing') return;
      this.log.info('ring timeout: call missed', { callId: rec.id });
      rec.endAs = { reason: 'missed', sipCode: 480, message: 'ring-timeout' };
      void invitation.reject({ statusCode: 480 }).catch(() => undefined);
    });
    let autoAfter: number | null = null;
    if (behaviour.autoAnswer.honourCallInfo) autoAfter = callInfoAnswerAfter(request.getHeader('call-info'));
    if (autoAfter === null && behaviour.autoAnswer.enabled) autoAfter = behaviour.autoAnswer.delaySeconds;
    if (autoAfter !== null && !othersLive) {
      rec.autoAnswerAt = this.options.clock.now() + autoAfter * 1000;
      this.addTimer(rec, autoAfter * 1000, () => {
        if (rec.state !== 'ringing') return;
        this.log.info('auto-answer', { callId: rec.id });
        void this.answer(rec.id).catch((err: Error) => this.log.warn('auto-answer failed', { error: err.message }));
      });
    }
    this.log.info('incoming call', { callId: rec.id, from: rec.remote.number, waiting: rec.waiting, ...(rec.queue ? { queue: rec.queue.queueId, reason: rec.queue.reason } : {}) });
    this.announce(CallRinging, rec);
    this.emit();
  }


  /** Incoming REFER (we are the transferee): accept it and call the target; the old leg ends as transferred. */
  protected onRefer(rec: CallRecord, referral: Referral): void {
    const ua = this.ua;
    if (!ua) return;
    void referral.accept().then(() => {
      const inviter = referral.makeInviter();
      const identity = callIdentity('outbound', { to: `<${referral.referTo.uri.clone().toString().replace(/\?.*$/, '')}>` });
      rec.transfer = { kind: referral.replaces ? 'attended' : 'blind', target: identity.remote.uri, state: 'accepted' };
      this.log.info('REFER accepted: calling the transfer target', { callId: rec.id, to: identity.remote.uri });
      return this.startOutbound(inviter, identity, rec.id).then((snap) => {
        if (snap.state !== 'ended') rec.endAs = { reason: 'transferred' };
      });
    }).catch((err: Error) => this.log.warn('handling REFER failed', { callId: rec.id, error: err.message }));
  }

}
