import { describe, expect, it } from 'vitest';
import { namePinyin } from '../../../../electron/core/customer/pinyin';

describe('namePinyin', () => {
  it('gives toneless full pinyin and initials', () => {
    expect(namePinyin('张伟')).toEqual({ full: 'zhangwei', initials: 'zw' });
    expect(namePinyin('欧阳娜娜')).toEqual({ full: 'ouyangnana', initials: 'oynn' });
  });

  it('reads surnames as surnames and writes ü as v', () => {
    expect(namePinyin('单田芳').full).toBe('shantianfang');
    expect(namePinyin('曾小贤').full).toBe('zengxiaoxian');
    expect(namePinyin('吕布')).toEqual({ full: 'lvbu', initials: 'lb' });
  });

  it('leaves Latin names without pinyin and keeps only the Chinese part of mixed names', () => {
    expect(namePinyin('John Smith')).toEqual({ full: '', initials: '' });
    expect(namePinyin('Tony 王')).toEqual({ full: 'wang', initials: 'w' });
  });
});
