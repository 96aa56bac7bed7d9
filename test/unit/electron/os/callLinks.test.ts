import { describe, expect, it, vi } from 'vitest';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';
import { createCallLinkQueue, extractCallLinks, registerCallLinkProtocols } from '../../../../electron/os/callLinks';

const quietLogger = () => {
  const sink = createMemorySink();
  return { sink, log: createLogRoot([sink]).createLogger('links') };
};

describe('extractCallLinks', () => {
  it('finds tel:, sip: and callto: URLs in a command line and ignores everything else', () => {
    const argv = ['/opt/CallDesk/calldesk', '--no-sandbox', 'tel:+49-30-1234567', 'SIP:alice@pbx.example', 'callto:0123456', 'https://x', 'telnet://h', 'tel:' + '1'.repeat(3000), 'tel:1\n2'];
    expect(extractCallLinks(argv)).toEqual(['tel:+49-30-1234567', 'SIP:alice@pbx.example', 'callto:0123456']);
  });
});

describe('createCallLinkQueue', () => {
  it('keeps links that arrive before anyone listens and delivers them to the first listener', () => {
    const { log } = quietLogger();
    const queue = createCallLinkQueue(log);
    queue.push('tel:+4930123456');
    queue.push('sip:bob@pbx');
    const got = vi.fn();
    queue.on(got);
    queue.push('callto:99');
    expect(got.mock.calls).toEqual([['tel:+4930123456'], ['sip:bob@pbx'], ['callto:99']]);
  });

  it('ignores non-call URLs and never logs the number', () => {
    const { log, sink } = quietLogger();
    const queue = createCallLinkQueue(log);
    const got = vi.fn();
    queue.on(got);
    queue.push('https://evil.example');
    queue.push('tel:+4930123456');
    expect(got.mock.calls).toEqual([['tel:+4930123456']]);
    expect(JSON.stringify(sink.records)).not.toContain('4930123456');
  });
});

describe('registerCallLinkProtocols', () => {
  it('registers the three schemes; in development it names the app folder', () => {
    const { log } = quietLogger();
    const app = { setAsDefaultProtocolClient: vi.fn(() => true) };
    expect(registerCallLinkProtocols(app, log, { isPackaged: true, execPath: '/opt/CallDesk/calldesk' })).toEqual(['tel', 'sip', 'callto']);
    expect(app.setAsDefaultProtocolClient.mock.calls).toEqual([['tel'], ['sip'], ['callto']]);
    app.setAsDefaultProtocolClient.mockClear();
    registerCallLinkProtocols(app, log, { isPackaged: false, execPath: '/repo/node_modules/electron/dist/electron', appArg: '.' });
    expect(app.setAsDefaultProtocolClient).toHaveBeenCalledWith('tel', '/repo/node_modules/electron/dist/electron', [process.cwd()]);
  });

  it('logs the schemes the OS refused', () => {
    const { log, sink } = quietLogger();
    registerCallLinkProtocols({ setAsDefaultProtocolClient: (s: string) => s !== 'sip' }, log, { isPackaged: true, execPath: 'x' });
    expect(sink.records.filter((r) => r.msg === 'protocol registration refused by the OS').map((r) => r.fields?.scheme)).toEqual(['sip']);
  });
});
