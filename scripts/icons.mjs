#!/usr/bin/env node
// `npm run icons`: every app icon from one source, resources/icons/calldesk.svg, rendered by the
// Debian Chromium the tests use (playwright-core) into what the installers need:
//   resources/build/icons/<N>x<N>.png  Linux (deb, AppImage) and the Linux window icon; N = 16 … 1024
//   resources/build/icon.png           1024 px (electron-builder's fallback)
//   resources/build/icon.ico           Windows (NSIS, exe): 16, 24, 32, 48, 64, 128, 256 (PNG entries)
//   resources/build/icon.icns          macOS (dmg, app): 16 … 1024 incl. @2x (PNG entries)
// The generated files are committed; test/unit/scripts/icons.test.ts checks they match each other.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS entry types with PNG data, by pixel size (icp4 … ic10; @2x types share the larger PNG). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
];

/** An ICO file of PNG images (Windows Vista and later read PNG entries). */
export function buildIco(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt8(0, e + 2);
    header.writeUInt8(0, e + 3);
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs.map((p) => p.png)]);
}

/** An ICNS file of PNG entries. */
export function buildIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

async function main() {
  const { chromium } = await import('playwright-core');
  const { chromiumPath, CHROMIUM_ARGS } = await import('./chromium.mjs');
  const svg = fs.readFileSync(path.join(root, 'resources/icons/calldesk.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const out = path.join(root, 'resources/build');
  fs.mkdirSync(path.join(out, 'icons'), { recursive: true });
  const pngs = new Map();
  try {
    for (const size of ICON_SIZES) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      await page.close();
      pngs.set(size, png);
      fs.writeFileSync(path.join(out, 'icons', `${size}x${size}.png`), png);
    }
  } finally {
    await browser.close();
  }
  fs.writeFileSync(path.join(out, 'icon.png'), pngs.get(1024));
  fs.writeFileSync(path.join(out, 'icon.ico'), buildIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }))));
  fs.writeFileSync(path.join(out, 'icon.icns'), buildIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: pngs.get(size) }))));
  console.log(`icons: wrote ${ICON_SIZES.length} PNG sizes, icon.ico, icon.icns from resources/icons/calldesk.svg`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
