/** The call link handed to the browser host as `?dial=...` (or `?call=...`), if any. */
export function callLinkFromLocation(search: string): string | null {
  const params = new URLSearchParams(search);
  return params.get('dial') ?? params.get('call');
}
