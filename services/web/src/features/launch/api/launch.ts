import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrapAs } from '../../../lib/api';
import type { ProductLaunch } from '../../../lib/api-types';

export function useProductLaunch(productId: string | undefined) {
  return useQuery({
    queryKey: ['launch', productId],
    enabled: productId !== undefined,
    queryFn: async () =>
      unwrapAs<ProductLaunch>()(
        await api.GET('/api/products/{id}/launch', { params: { path: { id: productId ?? '' } } }),
      ),
  });
}

export function useCompleteItem(productId: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, note, evidenceUrl }: { id: string; note?: string; evidenceUrl?: string }) =>
      unwrapAs<unknown>()(
        await api.POST('/api/launch-items/{id}/complete', {
          params: { path: { id } },
          body: { ...(note ? { note } : {}), ...(evidenceUrl ? { evidenceUrl } : {}) },
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['launch', productId] });
      await client.invalidateQueries({ queryKey: ['launch-items'] });
    },
  });
}
