import { describe, expect, it } from 'vitest';
import { callLinkTarget } from '../../../../shared/phone/callLink';

describe('callLinkTarget', () => {
  it.each([
    ['tel:+8613800138000', '+8613800138000'],
    ['tel:+86-755-8888-1234', '+8675588881234'],
    ['TEL:+1 (212) 555-0123', '+12125550123'],
    ['tel:%2B8613800138000', '+8613800138000'],
    ['tel:88881234;phone-context=+86755', '+8675588881234'],
    ['tel:7042;phone-context=example.com', '7042'],
    ['callto:+442079460000', '+442079460000'],
    ['callto://+44 20 7946 0000', '+442079460000'],
    ['sip:1002@calldesk.test', 'sip:1002@calldesk.test'],
    ['sips:alice@pbx.example.com', 'sips:alice@pbx.example.com'],
    ['sip:+8613800138000@pbx.example;user=phone', 'sip:+8613800138000@pbx.example;user=phone'],
    ['sip:1002', '1002'],
  ])('%s -> %s', (link, target) => {
    expect(callLinkTarget(link)).toBe(target);
  });

  it.each(['', 'http://example.com', 'tel:', 'tel:abc', 'javascript:alert(1)', 'tel:123\n456', `tel:${'1'.repeat(3000)}`, 'mailto:a@b.c'])('refuses %j', (link) => {
    expect(callLinkTarget(link)).toBeNull();
  });
});
