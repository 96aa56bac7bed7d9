import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../../../shared/api/contract';
import { createTestCore } from '../../../helpers/testCore';

describe('dispatcher', () => {
  it('answers a payload that fails its schema with INVALID_PAYLOAD and logs it', async () => {
    const { core, logs } = await createTestCore();
    const r = await core.dispatcher.invoke('settings:set', { key: 42 }, { transport: 'ipc' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(logs.some((l) => l.level === 'warn' && l.msg === 'invalid payload' && l.fields?.channel === 'settings:set')).toBe(true);
    await core.close();
  });

  it('answers an unknown channel with UNKNOWN_CHANNEL', async () => {
    const { core } = await createTestCore();
    const r = await core.dispatcher.invoke('nope:never', null, { transport: 'ws' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    await core.close();
  });

  it('turns a refusal inside a handler into a typed error, never a throw', async () => {
    const { core } = await createTestCore();
    const r = await core.dispatcher.invoke('settings:set', { key: 'ui.language', value: 'xx' }, { transport: 'ws' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_SETTING' } });
    await core.close();
  });

  it('has a handler behind every invoke channel of the contract', async () => {
    const { core } = await createTestCore();
    for (const channel of INVOKE_CHANNELS) {
      const r = await core.dispatcher.invoke(channel, undefined, { transport: 'ws' });
      if (!r.ok) expect(r.error.code, channel).not.toBe('UNKNOWN_CHANNEL');
    }
    await core.close();
  });
});
