import { Invitation, type Session } from 'sip.js';
import { isEstablished } from '../../../shared/phone/callState';
import { sdpAudioDirection } from '../../../shared/phone/mediaHost';
import type { QualitySample } from '../../../shared/phone/quality';
import { RemoteSessionDescriptionHandler } from './remoteSdh';
import { CallTable } from './callTable';

/** The media layer of the phone (see phoneService.ts): one remote SDH per call, media restarts and samples. */
export abstract class CallMedia extends CallTable {
  // ---------------------------------------------------------------- media

  protected makeSdh(session: Session): RemoteSessionDescriptionHandler {
    const callId = this.sessionIds.get(session) ?? session.id;
    return new RemoteSessionDescriptionHandler(callId, this.options.media, this.log.child('sdh'), {
      onRemoteDescription: (sdp) => {
        this.dtmfPlanner.remote(callId, sdp);
        this.onRemoteDescription(callId, sdp);
      },
      onLocalDescription: (sdp) => this.dtmfPlanner.local(callId, sdp),
      onRemoteDescriptionFailed: (err) => this.onUnusableOffer(callId, err),
    });
  }

  /**
   * The media engine refused the caller's offer while we answer: reject with 488 Not Acceptable
   * Here (sip.js would answer 480 Temporarily Unavailable, which tells the caller to retry later).
   */
  protected onUnusableOffer(callId: string, err: Error): void {
    const rec = this.calls.get(callId);
    if (!rec || !(rec.session instanceof Invitation) || rec.state !== 'answering') return;
    this.log.warn('media refused the offer: rejecting with 488', { callId, error: err.message });
    void rec.session.reject({ statusCode: 488 }).catch(() => undefined);
  }

  protected onRemoteDescription(callId: string, sdp: string): void {
    const rec = this.calls.get(callId);
    if (!rec) return;
    const dir = sdpAudioDirection(sdp);
    const remoteHold = dir === 'sendonly' || dir === 'inactive';
    if (remoteHold !== rec.remoteHold) {
      rec.remoteHold = remoteHold;
      this.pauseWatchdog(rec);
      this.log.info(remoteHold ? 'remote put the call on hold' : 'remote resumed the call', { callId });
      this.emit();
    }
  }

  /**
   * The media host (re)started (renderer reload): re-INVITE every established call so media is
   * negotiated again with the new engine. Returns how many calls are being re-negotiated.
   */
  mediaRestarted(): number {
    return this.renegotiateAll('media host restarted');
  }

  /** A statistics sample of a call's media (from the media engine): feeds its media watchdog. */
  mediaSample(callId: string, sample: QualitySample): void {
    this.calls.get(callId)?.watchdog?.sample(sample);
  }

  /**
   * Target refresh of every established call after a reconnect: a re-INVITE WITHOUT an offer, so
   * the other side learns our new Contact/connection while our media is never touched — if the
   * PBX or the peer refuses it, there is no local offer to roll back. Broken media is the media
   * watchdog's business (ICE restart), not this one's.
   */
  protected refreshTargets(why: string): void {
    for (const rec of this.calls.values()) {
      if (!isEstablished(rec.state)) continue;
      this.log.info('re-INVITE without offer to refresh the target', { callId: rec.id, why });
      this.sendReinvite(rec, rec.state === 'held', { withoutSdp: true })
        .then((code) => {
          if (code !== 0) this.log.warn('target refresh refused: media untouched', { callId: rec.id, code });
        })
        .catch((err: Error) => this.log.warn('target refresh failed: media untouched', { callId: rec.id, error: err.message }));
    }
  }

  protected renegotiateAll(why: string): number {
    let n = 0;
    for (const rec of this.calls.values()) {
      if (!isEstablished(rec.state)) continue;
      n += 1;
      this.log.info('re-INVITE to renegotiate media', { callId: rec.id, why });
      rec.watchdog?.restartGrace();
      this.reinvite(rec, rec.state === 'held').catch((err: Error) =>
        this.log.warn('re-INVITE failed', { callId: rec.id, error: err.message }),
      );
    }
    return n;
  }

}
