import { describe, expect, it } from 'vitest';
import { callLinkFromLocation } from '../../../../renderer/features/dial/callLinks';

describe('callLinkFromLocation', () => {
  it('reads ?dial= (or ?call=) next to the host token', () => {
    expect(callLinkFromLocation('?token=abc&dial=tel%3A%2B8613800138000')).toBe('tel:+8613800138000');
    expect(callLinkFromLocation('?call=sip:1002@calldesk.test')).toBe('sip:1002@calldesk.test');
    expect(callLinkFromLocation('?token=abc')).toBeNull();
  });
});
