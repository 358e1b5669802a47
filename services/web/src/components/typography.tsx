import { theme } from 'antd';
import type { CSSProperties, HTMLAttributes, ReactNode } from 'react';

// Headings and text in the theme's type scale. antd's Typography carries its editor, copy button and ellipsis
// tooltip into every page that shows a title (27 kB gzip); pages only need the look.

type Tone = 'secondary' | 'danger' | 'success' | 'warning';

interface TextProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  children?: ReactNode;
  type?: Tone | undefined;
  strong?: boolean;
  code?: boolean;
  underline?: boolean;
  style?: CSSProperties;
  'data-testid'?: string;
}

function useToneColor(type: Tone | undefined): string | undefined {
  const { token } = theme.useToken();
  switch (type) {
    case 'secondary':
      return token.colorTextSecondary;
    case 'danger':
      return token.colorError;
    case 'success':
      return token.colorSuccess;
    case 'warning':
      return token.colorWarning;
    case undefined:
      return undefined;
  }
}

function Text({ type, strong, code, underline, style, children, ...rest }: TextProps) {
  const { token } = theme.useToken();
  const color = useToneColor(type);
  const css: CSSProperties = {
    color,
    fontWeight: strong ? token.fontWeightStrong : undefined,
    textDecoration: underline ? 'underline' : undefined,
    ...(code
      ? {
          fontFamily: token.fontFamilyCode,
          fontSize: '85%',
          padding: '0.1em 0.4em',
          background: 'rgba(150, 150, 150, 0.1)',
          border: '1px solid rgba(100, 100, 100, 0.2)',
          borderRadius: 3,
        }
      : {}),
    ...style,
  };
  return code ? (
    <code style={css} {...rest}>
      {children}
    </code>
  ) : (
    <span style={css} {...rest}>
      {children}
    </span>
  );
}

function Paragraph({ type, style, children, ...rest }: TextProps) {
  const color = useToneColor(type);
  return (
    <div style={{ color, marginBottom: '1em', ...style }} {...rest}>
      {children}
    </div>
  );
}

interface TitleProps extends Omit<TextProps, 'type' | 'code' | 'strong' | 'underline'> {
  level?: 1 | 2 | 3 | 4 | 5;
}

function Title({ level = 1, style, children, ...rest }: TitleProps) {
  const { token } = theme.useToken();
  const Tag = `h${level}` as const;
  const fontSize = [
    token.fontSizeHeading1,
    token.fontSizeHeading2,
    token.fontSizeHeading3,
    token.fontSizeHeading4,
    token.fontSizeHeading5,
  ][level - 1];
  return (
    <Tag
      style={{
        margin: '0 0 0.5em',
        color: token.colorTextHeading,
        fontWeight: token.fontWeightStrong,
        fontSize,
        lineHeight: 1.3,
        ...style,
      }}
      {...rest}
    >
      {children}
    </Tag>
  );
}

export const Typography = { Title, Text, Paragraph };
