import { theme as antTheme } from 'antd';
import { describe, expect, it } from 'vitest';
import { appTheme, PRESET_COLORS, type ThemeName } from '../../../../renderer/app/theme';

// WCAG 2.1 contrast: relative luminance of sRGB colours, alpha blended over the background.
type Rgb = [number, number, number];
function parse(color: string): { rgb: Rgb; alpha: number } {
  const short = /^#([0-9a-f]{3})$/i.exec(color);
  if (short) return parse(`#${[...short[1]!].map((c) => c + c).join('')}`);
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) return { rgb: [0, 2, 4].map((i) => parseInt(hex[1]!.slice(i, i + 2), 16)) as Rgb, alpha: 1 };
  const rgba = /^rgba?\(([^)]+)\)$/.exec(color.replace(/\s/g, ''));
  if (!rgba) throw new Error(`unreadable colour ${color}`);
  const [r, g, b, a] = rgba[1]!.split(',').map(Number);
  return { rgb: [r!, g!, b!], alpha: a ?? 1 };
}
function over(fg: string, bg: string): Rgb {
  const f = parse(fg);
  const b = parse(bg).rgb;
  return f.rgb.map((c, i) => c * f.alpha + b[i]! * (1 - f.alpha)) as Rgb;
}
function hex(rgb: Rgb): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(fg: string, bg: string): number {
  const a = luminance(over(fg, bg));
  const b = luminance(parse(bg).rgb);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

function tokens(name: ThemeName) {
  const config = appTheme(name, true);
  const global = antTheme.getDesignToken(config) as unknown as Record<string, string>;
  const component = (c: string) => ({ ...global, ...((config.components as Record<string, Record<string, string>>)[c] ?? {}) });
  return { global, component };
}

describe.each(['light', 'dark'] as const)('the %s theme reaches WCAG AA contrast (4.5:1)', (name) => {
  const { global, component } = tokens(name);
  const backgrounds = [global.colorBgContainer!, global.colorBgLayout!, global.colorBgElevated!];

  it.each(['colorText', 'colorTextSecondary', 'colorTextTertiary', 'colorTextDescription', 'colorTextPlaceholder', 'colorLink', 'colorSuccessText', 'colorWarningText', 'colorErrorText'])(
    '%s on the container, layout and popup backgrounds',
    (token) => {
      for (const bg of backgrounds) expect(contrast(global[token]!, bg), `${global[token]} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('every preset tag colour (text on its light background)', () => {
    const tag = component('Tag');
    for (const c of PRESET_COLORS) expect(contrast(tag[`${c}7`]!, hex(over(global[`${c}1`]!, global.colorBgContainer!))), c).toBeGreaterThanOrEqual(4.5);
  });

  it('status tags (processing, success, warning, error) on their backgrounds', () => {
    const tag = component('Tag');
    for (const s of ['Info', 'Success', 'Warning', 'Error']) expect(contrast(tag[`color${s}`]!, global[`color${s}Bg`]!), s).toBeGreaterThanOrEqual(4.5);
  });

  it('danger buttons: outlined text on the background, solid text on the red', () => {
    const button = component('Button');
    expect(contrast(button.colorError!, global.colorBgContainer!)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(button.dangerColor ?? global.colorTextLightSolid!, button.colorError!)).toBeGreaterThanOrEqual(4.5);
  });

  it('the selected navigation entry', () => {
    const menu = component('Menu');
    const selected = menu.itemSelectedColor ?? global.colorPrimary!;
    const selectedBg = hex(over(global.controlItemBgActive!, global.colorBgContainer!));
    expect(contrast(selected, selectedBg)).toBeGreaterThanOrEqual(4.5);
  });
});
