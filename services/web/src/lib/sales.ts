import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api';

/** The sales-vs-baseline series of a product (GET /api/products/:id/sales; typed from its response schema). */
export function useProductSales(productId: string, branchId?: string) {
  return useQuery({
    queryKey: ['sales', productId, branchId ?? 'all'],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/products/{id}/sales', {
          params: { path: { id: productId }, query: branchId ? { branchId } : {} },
        }),
      ),
  });
}
