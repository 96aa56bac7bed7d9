import { useEffect, useRef } from 'react';
import { settingValue } from '../../../shared/settings/definitions';
import { TonePlayer } from '../../media/ringtone';
import { useCoreStore } from '../../stores/coreStore';
import { liveCalls, ringingInbound, usePhoneStore } from '../../stores/phoneStore';

/**
 * Plays the ring tone on the ringer device while an inbound call rings and no call is live, and the
 * distinct call-waiting tone on the speaker when a second call rings during a call.
 */
export function RingerController() {
  const phone = usePhoneStore((s) => s.phone);
  const settings = useCoreStore((s) => s.state?.settings);
  const player = useRef<TonePlayer | null>(null);
  const ringing = ringingInbound(phone).length > 0;
  const busy = liveCalls(phone).some((c) => c.state === 'active' || c.state === 'held' || c.state === 'answering');
  const ringer = settings ? settingValue(settings, 'media.ringer') : '';
  const speaker = settings ? settingValue(settings, 'media.speaker') : '';
  useEffect(() => {
    player.current ??= new TonePlayer();
    const p = player.current;
    if (!ringing) p.stop();
    else if (busy) void p.play('waiting', speaker);
    else void p.play('ring', ringer);
  }, [ringing, busy, ringer, speaker]);
  useEffect(() => () => player.current?.stop(), []);
  return <span hidden data-testid="ringer" data-tone={ringing ? (busy ? 'waiting' : 'ring') : 'none'} />;
}
