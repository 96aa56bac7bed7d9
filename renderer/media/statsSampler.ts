import { estimateMos, type QualitySample } from '../../shared/phone/quality';

interface Counters {
  at: number;
  bytes: number;
  received: number;
  lost: number;
}

/** Turns successive getStats reports of one peer connection into quality samples. */
export class StatsSampler {
  private last: Counters | null = null;

  /** Reads the peer connection's stats and returns a sample (null on the first call: no interval yet). */
  async sample(pc: RTCPeerConnection, now = Date.now()): Promise<QualitySample | null> {
    const report = await pc.getStats();
    let bytes = 0;
    let received = 0;
    let lost = 0;
    let jitter = 0;
    let rtt: number | undefined;
    let codecId: string | undefined;
    let rtcpReports = 0;
    let lastPacketAt: number | undefined;
    const codecs = new Map<string, string>();
    report.forEach((r: Record<string, unknown>) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') {
        bytes += Number(r.bytesReceived ?? 0);
        received += Number(r.packetsReceived ?? 0);
        lost += Math.max(0, Number(r.packetsLost ?? 0));
        jitter = Math.max(jitter, Number(r.jitter ?? 0) * 1000);
        codecId = (r.codecId as string | undefined) ?? codecId;
        // Stats timestamps and lastPacketReceivedTimestamp share one time base: turn the age into our clock.
        const age = Number(r.timestamp) - Number(r.lastPacketReceivedTimestamp);
        if (Number.isFinite(age) && age >= 0 && age < 600_000) lastPacketAt = Math.max(lastPacketAt ?? 0, now - age);
      } else if (r.type === 'remote-inbound-rtp' && typeof r.roundTripTime === 'number') {
        rtt = r.roundTripTime * 1000;
      } else if (r.type === 'candidate-pair' && r.nominated && typeof r.currentRoundTripTime === 'number' && rtt === undefined) {
        rtt = r.currentRoundTripTime * 1000;
      }
      // RTCP from the other side (receiver reports on remote-inbound-rtp, sender reports on remote-outbound-rtp):
      // the only media expected while the other side holds us.
      if (r.type === 'remote-inbound-rtp') rtcpReports += Number(r.roundTripTimeMeasurements ?? 0);
      else if (r.type === 'remote-outbound-rtp') rtcpReports += Number(r.reportsSent ?? 0);
      if (r.type === 'codec' && typeof r.mimeType === 'string') {
        codecs.set(String(r.id), r.mimeType.replace(/^audio\//i, '').toLowerCase());
      }
    });
    const current: Counters = { at: now, bytes, received, lost };
    const prev = this.last;
    this.last = current;
    if (!prev || now <= prev.at) return null;
    const dReceived = Math.max(0, received - prev.received);
    const dLost = Math.max(0, lost - prev.lost);
    const loss = dReceived + dLost > 0 ? dLost / (dReceived + dLost) : 0;
    const bitrateKbps = (Math.max(0, bytes - prev.bytes) * 8) / (now - prev.at);
    const codec = (codecId && codecs.get(codecId)) ?? 'opus';
    const rttMs = rtt ?? 0;
    const liveness = { rtpBytes: bytes, rtcpReports, ice: pc.iceConnectionState, ...(lastPacketAt !== undefined ? { lastPacketAt: Math.round(lastPacketAt) } : {}) };
    return { at: now, rttMs, jitterMs: jitter, loss, bitrateKbps: Number(bitrateKbps.toFixed(1)), codec, mos: estimateMos(rttMs, jitter, loss, codec), liveness };
  }
}
