import { describe, expect, it } from 'vitest';
import { callLinkTarget } from '../../../../shared/phone/callLink';

describe('callLinkTarget', () => {
  it.each([
    ['tel:+86-138-0013-8000', '+8613800138000'],
    ['tel:+1 (212) 555-0123;ext=12', '+12125550123'],
    ['TEL:010%2088881234', '01088881234'],
    ['callto://+8613800138000', '+8613800138000'],
    ['callto:13800138000', '13800138000'],
    ['sip:1002@pbx.example.com', 'sip:1002@pbx.example.com'],
    ['sips:alice@example.com?subject=x', 'sips:alice@example.com'],
  ])('%s -> %s', (url, target) => {
    expect(callLinkTarget(url)).toBe(target);
  });

  it.each(['http://example.com', 'javascript:alert(1)', 'tel:', 'tel:abc', 'sip:', 'tel:%E0%A4%A', `tel:${'1'.repeat(600)}`, 'mailto:a@b.c'])('refuses %s', (url) => {
    expect(callLinkTarget(url)).toBeNull();
  });
});
