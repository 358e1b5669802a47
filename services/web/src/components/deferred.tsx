import { Skeleton } from 'antd';
import type { TableProps } from 'antd';
import type AntDatePickerType from 'antd/es/date-picker';
import { lazy, Suspense, type ReactNode } from 'react';

// Heavy antd pieces load beside the page's data, not before the page: Table (with its filter menus, tree
// and checkboxes) is 65 kB gzip, DatePicker (with dayjs and the picker panels) 40 kB. A deep link's first
// load is then the shell, the page and what it shows at once.
// The lazy component loses Table's row type; DataTable puts it back for the callers.
const AntTable = lazy(() => import('antd/es/table')) as unknown as <T>(props: TableProps<T>) => ReactNode;
const AntDatePicker = lazy(() => import('antd/es/date-picker')) as unknown as typeof AntDatePickerType;

/**
 * Starts loading a module now (with the page that needs it, beside that page's data) and gives the
 * loader `lazy` takes; a failed load is tried again on the next call.
 */
export function preload<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  const start = () => {
    loading ??= load();
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  };
  void start();
  return start;
}

/** A part of a page that loads its code when first shown (a tab, a table), with a skeleton meanwhile. */
export function Deferred({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Skeleton active />}>{children}</Suspense>;
}

/** antd's Table, its code loaded on first render. */
export function DataTable<T extends object>(props: TableProps<T>) {
  return (
    <Deferred>
      <AntTable<T> {...props} />
    </Deferred>
  );
}

/** antd's DatePicker, its code loaded on first render (the form field keeps its value meanwhile). */
export const LazyDatePicker = ((props: Parameters<typeof AntDatePickerType>[0]) => (
  <Suspense fallback={null}>
    <AntDatePicker {...props} />
  </Suspense>
)) as typeof AntDatePickerType;
