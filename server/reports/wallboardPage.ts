import { RESOURCES } from '../../shared/i18n';
import type { WallboardSpec } from './wallboardToken';

/**
 * The wallboard page for a TV: full screen, large numbers, the chosen language; it opens
 * `/wallboard/socket` with its token, draws each view it receives and reconnects by itself
 * (1 s, 2 s, 4 s ... up to 30 s) showing "reconnecting" meanwhile. Every text is set with
 * `textContent` (queue names come from the database).
 */
export function wallboardPage(spec: WallboardSpec, nonce: string): string {
  const s = RESOURCES[spec.lang].supervisor.wallboard;
  const boot = JSON.stringify({ reconnecting: s.reconnecting }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="${spec.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(spec.title || s.title)}</title>
<style nonce="${nonce}">
  html, body { margin: 0; height: 100%; background: #0b1220; color: #e6edf7; font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; }
  header { display: flex; justify-content: space-between; align-items: baseline; padding: 1.2vh 2vw; font-size: 3.2vh; }
  #clock { color: #9fb0c8; }
  #status { color: #ffcc66; font-size: 2.6vh; min-height: 3vh; padding: 0 2vw; }
  main { display: grid; gap: 1.5vh; padding: 1vh 2vw; }
  section { background: #131c2e; border-radius: 1vh; padding: 1.2vh 1.5vw; }
  h2 { margin: 0 0 1vh; font-size: 3.4vh; font-weight: 600; }
  .cells { display: grid; grid-template-columns: repeat(auto-fit, minmax(14vw, 1fr)); gap: 1vh 1.5vw; }
  .label { font-size: 2.2vh; color: #9fb0c8; }
  .value { font-size: 7vh; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.1; }
  .ok { color: #5ee08a; } .warn { color: #ffcc66; } .bad { color: #ff6b6b; }
</style></head>
<body><header><span id="title">${escapeHtml(spec.title || s.title)}</span><span id="clock"></span></header>
<div id="status" role="status"></div><main id="board"></main>
<script nonce="${nonce}">
(function () {
  var strings = ${boot};
  var token = new URLSearchParams(location.search).get('token') || '';
  var board = document.getElementById('board'), status = document.getElementById('status'), clock = document.getElementById('clock');
  var attempt = 0;
  function draw(view) {
    board.textContent = '';
    view.queues.forEach(function (q) {
      var sec = document.createElement('section');
      var h = document.createElement('h2'); h.textContent = q.name; sec.appendChild(h);
      var cells = document.createElement('div'); cells.className = 'cells';
      q.cells.forEach(function (c) {
        var d = document.createElement('div'); d.setAttribute('data-kpi', c.kpi);
        var l = document.createElement('div'); l.className = 'label'; l.textContent = c.label;
        var v = document.createElement('div'); v.className = 'value' + (c.status ? ' ' + c.status : ''); v.textContent = c.text;
        d.appendChild(l); d.appendChild(v); cells.appendChild(d);
      });
      sec.appendChild(cells); board.appendChild(sec);
    });
    clock.textContent = new Date(view.at).toLocaleTimeString(document.documentElement.lang);
  }
  function connect() {
    var ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/wallboard/socket?token=' + encodeURIComponent(token));
    ws.onopen = function () { attempt = 0; status.textContent = ''; };
    ws.onmessage = function (e) { try { var m = JSON.parse(e.data); if (m.type === 'wallboard') draw(m.view); } catch (err) { /* ignore a bad frame */ } };
    ws.onclose = function () {
      status.textContent = strings.reconnecting;
      setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempt++)));
    };
  }
  connect();
})();
</script></body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
