/** Pixel sizes of the PNG icon set (resources/build/icons/<N>x<N>.png). */
export const ICON_SIZES: number[];
/** Sizes in icon.ico. */
export const ICO_SIZES: number[];
/** ICNS entry types and the PNG size each holds. */
export const ICNS_TYPES: [string, number][];
/** An ICO file of PNG images. */
export function buildIco(pngs: { size: number; png: Buffer }[]): Buffer;
/** An ICNS file of PNG entries. */
export function buildIcns(entries: { type: string; png: Buffer }[]): Buffer;
