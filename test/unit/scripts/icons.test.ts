import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICON_SIZES, ICO_SIZES } from '../../../scripts/icons.mjs';

// The app icons (npm run icons) in every size the installers need, all from resources/icons/calldesk.svg.
const BUILD = path.resolve(__dirname, '../../../resources/build');
const png = (size: number) => fs.readFileSync(path.join(BUILD, 'icons', `${size}x${size}.png`));

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): [number, number] {
  expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

describe('app icons', () => {
  it('has a PNG of each size, square and of that size, from the one SVG source', () => {
    expect(fs.readFileSync(path.resolve(BUILD, '../icons/calldesk.svg'), 'utf8')).toContain('<svg');
    for (const size of ICON_SIZES) expect(pngSize(png(size)), `${size}px`).toEqual([size, size]);
    expect(fs.readFileSync(path.join(BUILD, 'icon.png')).equals(png(1024))).toBe(true);
  });

  it('icon.ico holds the Windows sizes 16 to 256, each the same PNG as the Linux set', () => {
    const ico = fs.readFileSync(path.join(BUILD, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    ICO_SIZES.forEach((size, i) => {
      const e = 6 + 16 * i;
      expect(ico.readUInt8(e) || 256).toBe(size);
      const data = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8));
      expect(data.equals(png(size)), `${size}px entry`).toBe(true);
    });
  });

  it('icon.icns holds the macOS sizes 16 to 1024 (with @2x), each the same PNG', () => {
    const icns = fs.readFileSync(path.join(BUILD, 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: [string, Buffer][] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) found.push([icns.toString('ascii', at, at + 4), icns.subarray(at + 8, at + icns.readUInt32BE(at + 4))]);
    expect(found.map(([t]) => t)).toEqual(ICNS_TYPES.map(([t]) => t));
    for (const [type, size] of ICNS_TYPES) expect(found.find(([t]) => t === type)![1].equals(png(size)), type).toBe(true);
  });
});
