import { Alert, Button, Empty, Skeleton } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/api';

/** Loading, error and empty states of a query, one look across pages; children render when data is there. */
export function PageState({
  query,
  empty,
  emptyText,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  empty?: boolean;
  emptyText?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <Skeleton active aria-busy="true" aria-label={t('common.loading')} />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) return <NotFound />;
    return (
      <Alert
        type="error"
        showIcon
        title={t('common.error')}
        description={errorText(query.error, t)}
        action={
          <Button size="small" onClick={() => void query.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (empty) return <Empty description={emptyText} />;
  return <>{children}</>;
}

export function NotFound() {
  const { t } = useTranslation();
  // Empty, not Result: Result's illustrations weigh 12 kB gzip on every page that can show a 404.
  return (
    <Empty
      style={{ marginBlock: 48 }}
      description={
        <>
          <strong style={{ display: 'block', fontSize: 24 }}>404</strong>
          {t('common.notFound')}
        </>
      }
    />
  );
}

/**
 * An error as a sentence people can read in their language: a 400 points at its fields (shown there), a
 * known error code has its words; only an unknown one shows the API's own (English) message.
 */
export function errorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return t('errors.forbidden');
    if (error.fields.length > 0) return t('errors.fields', { count: error.fields.length });
    const words = t(`errors.codes.${error.code}`, { defaultValue: '' });
    return words || t('errors.generic', { message: error.message });
  }
  return t('errors.network');
}
