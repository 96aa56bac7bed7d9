import { Grammar } from 'sip.js';
import { describe, expect, it } from 'vitest';
import { TAKEOVER_PARAM, peerSupportsReplaces, takeoverCallId, takeoverReferTarget } from '../../../../electron/core/phone/replacesFallback';

describe('attended transfer to a transferee without Replaces support', () => {
  it('reads the replaces option tag from Supported headers', () => {
    expect(peerSupportsReplaces(['outbound, replaces, gruu'])).toBe(true);
    expect(peerSupportsReplaces(['timer', 'Replaces'])).toBe(true);
    expect(peerSupportsReplaces([])).toBe(false);
    expect(peerSupportsReplaces(['timer, 100rel'])).toBe(false);
  });

  it('names the consultation call in the Refer-To URI and reads it back from the Request-URI', () => {
    const contact = Grammar.URIParse('sip:1008@calldesk.test;gr=urn:uuid:1;alias=127.0.0.1~5000~5')!;
    const target = takeoverReferTarget(contact, 'abc@host;x');
    expect(target.toString()).toContain(`${TAKEOVER_PARAM}=`);
    expect(target.toString()).not.toContain('?');
    expect(contact.hasParam(TAKEOVER_PARAM)).toBe(false);
    expect(takeoverCallId(Grammar.URIParse(target.toString())!)).toBe('abc@host;x');
    expect(takeoverCallId(contact)).toBeNull();
  });
});
