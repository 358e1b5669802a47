import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, theme } from 'antd';
import type { ReactNode } from 'react';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { RouterProvider } from 'react-router';
import { MessageProvider } from '../components/message';
import { useLocale } from '../lib/i18n';
import { router } from './router';
import { SessionProvider } from './session';

// Secondary, tertiary and placeholder text darker than antd's defaults: WCAG AA contrast on grey backgrounds.
const THEME = {
  token: {
    colorPrimary: '#0b6e69',
    colorLink: '#0b6e69',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    colorError: '#cf1322',
    colorWarning: '#ad6800',
    colorSuccess: '#237804',
  },
};

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: true },
  },
});

export function App() {
  const { locale } = useLocale();
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <Base>
        <MessageProvider>
          <QueryClientProvider client={queryClient}>
            <SessionProvider>
              <RouterProvider router={router} />
            </SessionProvider>
          </QueryClientProvider>
        </MessageProvider>
      </Base>
    </ConfigProvider>
  );
}

/** The page's base font and colour from the theme (what antd's App would set, without its Modal and notification). */
function Base({ children }: { children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <div
      style={{
        fontFamily: token.fontFamily,
        fontSize: token.fontSize,
        lineHeight: token.lineHeight,
        color: token.colorText,
      }}
    >
      {children}
    </div>
  );
}
