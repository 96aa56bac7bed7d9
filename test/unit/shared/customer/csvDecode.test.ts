import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsv } from '../../../../shared/customer/csvDecode';

// The same decoding on the desktop (CSV import dialog) and the server (admin import).
describe('decodeCsv', () => {
  const text = '姓名,电话\n张伟,0755-8888 1234\n';
  it('detects UTF-8 with and without BOM, UTF-16 LE/BE and GB18030/GBK', () => {
    expect(decodeCsv(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'utf-8-bom' });
    expect(decodeCsv(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gb18030' });
    expect(decodeCsv(iconv.encode(text, 'gb18030'))).toEqual({ text, encoding: 'gb18030' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]))).toEqual({ text, encoding: 'utf-16be' });
    expect(decodeCsv(iconv.encode(text, 'gb18030'), 'gb18030')).toEqual({ text, encoding: 'gb18030' });
  });

  it('refuses binary, empty files and wrong explicit encodings', () => {
    expect(() => decodeCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toThrow(/not a text/);
    expect(() => decodeCsv(Buffer.from('  \n'))).toThrow(/empty/);
    expect(() => decodeCsv(iconv.encode(text, 'gbk'), 'utf-8')).toThrow(/not valid UTF-8/);
  });
});

