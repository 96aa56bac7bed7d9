import { theme as antTheme, type ThemeConfig } from 'antd';

/** The app's theme names (setting `ui.theme`). */
export type ThemeName = 'light' | 'dark';

/** antd's preset colours, as used by `<Tag color="gold">` and friends. */
export const PRESET_COLORS = ['blue', 'purple', 'cyan', 'green', 'magenta', 'pink', 'red', 'orange', 'yellow', 'volcano', 'geekblue', 'lime', 'gold'] as const;

/**
 * Text tokens with at least 4.5:1 contrast (WCAG 2.1 AA) on the backgrounds they are drawn on.
 * antd's defaults are lighter (secondary text, placeholders, links, status texts: 1.9 to 4.4:1),
 * so agents reading all day got greyed-out labels. Alpha values keep the text readable on layered
 * backgrounds (cards, table rows, the layout grey) rather than only on white.
 */
const TEXT_TOKENS: Record<ThemeName, ThemeConfig['token']> = {
  light: {
    colorPrimary: '#1668dc',
    colorLink: '#1668dc',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    colorSuccessText: '#237804',
    colorWarningText: '#874d00',
    colorErrorText: '#c41520',
  },
  dark: {
    colorPrimary: '#1668dc',
    colorLink: '#65a9f3',
    colorTextTertiary: 'rgba(255, 255, 255, 0.62)',
    colorTextDescription: 'rgba(255, 255, 255, 0.62)',
    colorTextPlaceholder: 'rgba(255, 255, 255, 0.58)',
    colorSuccessText: '#8fd460',
    colorWarningText: '#f3cc62',
    colorErrorText: '#ff7875',
  },
};

/**
 * The palette step used as a coloured tag's text: antd draws `<Tag color="gold">` with step 7 on
 * step 1, which is 2.0 to 4.4:1 for gold, lime, green, cyan, orange, yellow and volcano in the light
 * theme. Step 9 (light) and step 8 (dark) reach 5:1 for every preset colour.
 */
const TAG_TEXT_STEP: Record<ThemeName, 8 | 9> = { light: 9, dark: 8 };

/**
 * Per-component overrides. Danger buttons: antd draws the outlined one's text and the solid one's
 * background in `colorError` (#ff4d4f, 3.3:1 with white; #dc4446 in dark, 4.3:1 on the dark
 * background). In dark no single red is readable both as text on the dark background and under white
 * text, so the solid danger button (Hang up) gets dark text on a light red. Menu: the dark algorithm
 * draws the selected page's name in the darkened primary (#165bbe on #152d50, 2.1:1).
 */
const COMPONENT_TOKENS: Record<ThemeName, { button: Record<string, string>; menu: Record<string, string>; status: Record<string, string> }> = {
  light: {
    button: { colorError: '#c41520', colorErrorHover: '#a8071a', colorErrorActive: '#820014' },
    menu: {},
    status: { colorInfo: '#0958d9', colorSuccess: '#237804', colorWarning: '#874d00', colorError: '#c41520' },
  },
  dark: {
    button: { colorError: '#ff7875', colorErrorHover: '#ffa39e', colorErrorActive: '#ff7875', dangerColor: 'rgba(0, 0, 0, 0.88)' },
    menu: { itemSelectedColor: '#8dc5f8' },
    status: { colorInfo: '#65a9f3', colorSuccess: '#8fd460', colorWarning: '#f3cc62', colorError: '#ff7875' },
  },
};

/** The antd theme of the app: algorithm (light/dark, compact) and the contrast-checked tokens. */
export function appTheme(name: ThemeName, compact: boolean): ThemeConfig {
  const algorithm = [name === 'dark' ? antTheme.darkAlgorithm : antTheme.defaultAlgorithm];
  if (compact) algorithm.push(antTheme.compactAlgorithm);
  const token = { ...TEXT_TOKENS[name], borderRadius: 4 };
  const palette = antTheme.getDesignToken({ algorithm, token }) as unknown as Record<string, string>;
  const tag: Record<string, string> = { ...COMPONENT_TOKENS[name].status };
  for (const c of PRESET_COLORS) tag[`${c}7`] = palette[`${c}${TAG_TEXT_STEP[name]}`]!;
  return {
    algorithm,
    token,
    components: {
      Tag: tag,
      Button: COMPONENT_TOKENS[name].button,
      Menu: COMPONENT_TOKENS[name].menu,
      Descriptions: { labelColor: TEXT_TOKENS[name]!.colorTextTertiary! },
    },
  };
}
