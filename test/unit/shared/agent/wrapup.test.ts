import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPOSITIONS, canSkipWrapUp, checkWrapUpAnswer, dispositionCodes, dispositionGroupsSchema, type WrapUpPolicy } from '../../../../shared/agent/wrapup';
import { SETTING_DEFAULTS, SETTING_SCHEMAS } from '../../../../shared/settings/definitions';

const policy = (p: Partial<WrapUpPolicy> = {}): WrapUpPolicy => ({
  mode: 'time-boxed',
  seconds: 60,
  extendSeconds: 30,
  dispositionRequired: true,
  notesRequired: false,
  defaultDisposition: 'no-action',
  dispositions: DEFAULT_DISPOSITIONS,
  ...p,
});

describe('wrap-up rules', () => {
  it('refuses a missing required disposition or notes, and an unknown disposition', () => {
    expect(() => checkWrapUpAnswer(policy(), { notes: 'x' })).toThrow('A disposition is required to complete wrap-up');
    expect(() => checkWrapUpAnswer(policy(), { disposition: 'nope' })).toThrow('Unknown disposition "nope"');
    expect(() => checkWrapUpAnswer(policy({ notesRequired: true }), { disposition: 'other', notes: ' ' })).toThrow('Notes are required to complete wrap-up');
    expect(() => checkWrapUpAnswer(policy({ dispositionRequired: false }), {})).not.toThrow();
    expect(() => checkWrapUpAnswer(policy(), { disposition: 'escalated' })).not.toThrow();
  });

  it('may be skipped only in optional mode with nothing required', () => {
    expect(canSkipWrapUp(policy({ mode: 'optional', dispositionRequired: false }))).toBe(true);
    expect(canSkipWrapUp(policy({ mode: 'optional' }))).toBe(false);
    expect(canSkipWrapUp(policy({ mode: 'mandatory', dispositionRequired: false }))).toBe(false);
  });

  it('validates configured dispositions: unique codes across groups', () => {
    expect(dispositionGroupsSchema.safeParse([{ code: 'a', dispositions: [{ code: 'x' }] }, { code: 'b', dispositions: [{ code: 'x' }] }]).success).toBe(false);
    expect(dispositionGroupsSchema.safeParse([{ code: 'a', dispositions: [] }]).success).toBe(false);
    expect(dispositionGroupsSchema.safeParse(DEFAULT_DISPOSITIONS).success).toBe(true);
  });

  it('ships defaults that pass their own setting schemas, with the default disposition among them', () => {
    for (const key of ['wrapup.dispositions', 'wrapup.defaultDisposition', 'agent.notReadyReasons', 'tickets.slaRules', 'tickets.categories'] as const) {
      expect(SETTING_SCHEMAS[key].safeParse(SETTING_DEFAULTS[key]).success, key).toBe(true);
    }
    expect(dispositionCodes(SETTING_DEFAULTS['wrapup.dispositions'])).toContain(SETTING_DEFAULTS['wrapup.defaultDisposition']);
  });
});
