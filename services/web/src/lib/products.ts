import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api';
import { allPages } from './org';

/**
 * Every product the person may see (names and stages for the ids other lists carry), or with `branchId`
 * that branch's tower: launching, launched or selling there, or planned for no branch yet.
 */
export function useAllProducts(branchId?: string) {
  return useQuery({
    queryKey: ['products', 'all', branchId ?? 'any'],
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(
          await api.GET('/api/products', {
            params: { query: { limit: 200, cursor, ...(branchId ? { branchId } : {}) } },
          }),
        ),
      ),
    staleTime: 15_000,
  });
}

export function useProductName() {
  const products = useAllProducts();
  return (id: string | null | undefined) =>
    (id && products.data?.find((p) => p.id === id)?.name) ?? (id ? id.slice(0, 8) : '—');
}
