import {
  createTheme,
  type CSSVariablesResolver,
  defaultVariantColorsResolver,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';

/**
 * Darker shades than Mantine's defaults wherever text sits on color, so that badges, alerts,
 * nav items and filled buttons meet the WCAG AA contrast ratio (checked by axe in the e2e flow).
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return colors;
  const shade = (n: number) => `var(--mantine-color-${parsed.color}-${n})`;
  if (input.variant === 'light') return { ...colors, color: shade(9), background: shade(0), hover: shade(1) };
  if (input.variant === 'filled') return { ...colors, background: shade(8), hover: shade(9) };
  return colors;
};

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 6 of indigo on white is under the WCAG AA contrast ratio for text; 7 passes.
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'sm',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  variantColorResolver,
});

/** Mantine's default "dimmed" grey is too light for body text under WCAG AA. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
