import { act, render, screen } from '@testing-library/react';
import { message } from 'antd';
import { useEffect } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { Translated } from '../../../../renderer/components/Translated';
import { createI18n } from '../../../../renderer/i18n/i18n';

/** Opens one toast the way the pages do: from an effect, through the hook's holder. */
function SavedToast() {
  const [toast, holder] = message.useMessage();
  useEffect(() => {
    void toast.success({ content: <Translated text={(t) => t('settings.saved')} />, duration: 0 });
  }, [toast]);
  return holder;
}

describe('Translated', () => {
  it('a toast shown before a language switch is shown in the new language after it', async () => {
    const i18n = createI18n('en-US');
    render(
      <I18nextProvider i18n={i18n}>
        <SavedToast />
      </I18nextProvider>,
    );
    expect(await screen.findByText('Saved')).toBeTruthy();
    await act(async () => {
      await i18n.changeLanguage('zh-CN');
    });
    expect(await screen.findByText(i18n.t('settings.saved'))).toBeTruthy();
    expect(i18n.t('settings.saved')).not.toBe('Saved');
    expect(screen.queryByText('Saved')).toBeNull();
  });
});
