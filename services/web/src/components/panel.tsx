import { theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

// A titled box in the look of antd's Card. Card imports Tabs (and with it a menu and a dropdown) for its tab
// bar, which no page uses: 25 kB gzip on every page that shows a box.

export interface PanelProps {
  title?: ReactNode;
  extra?: ReactNode;
  size?: 'small' | 'default';
  style?: CSSProperties;
  children?: ReactNode;
}

export function Panel({ title, extra, size = 'default', style, children }: PanelProps) {
  const { token } = theme.useToken();
  const small = size === 'small';
  const padding = small ? token.paddingSM : token.paddingLG;
  return (
    <section
      className="tower-panel"
      style={{
        background: token.colorBgContainer,
        border: `${token.lineWidth}px ${token.lineType} ${token.colorBorderSecondary}`,
        borderRadius: token.borderRadiusLG,
        ...style,
      }}
    >
      {(title !== undefined || extra !== undefined) && (
        <header
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: token.marginSM,
            minHeight: small ? 38 : 56,
            paddingInline: padding,
            borderBottom: `${token.lineWidth}px ${token.lineType} ${token.colorBorderSecondary}`,
            fontWeight: token.fontWeightStrong,
            fontSize: small ? token.fontSize : token.fontSizeLG,
            color: token.colorTextHeading,
          }}
        >
          <div style={{ flex: 1, minWidth: 0 }}>{title}</div>
          {extra !== undefined && <div style={{ fontWeight: 'normal' }}>{extra}</div>}
        </header>
      )}
      <div style={{ padding }}>{children}</div>
    </section>
  );
}
