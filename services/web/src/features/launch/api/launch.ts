import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api';

export function useProductLaunch(productId: string | undefined) {
  return useQuery({
    queryKey: ['launch', productId],
    enabled: productId !== undefined,
    queryFn: async () =>
      unwrap(await api.GET('/api/products/{id}/launch', { params: { path: { id: productId ?? '' } } })),
  });
}

export function useCompleteItem(productId: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, note, evidenceUrl }: { id: string; note?: string; evidenceUrl?: string }) =>
      unwrap(
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

export function useUndoItem(productId: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      unwrap(await api.POST('/api/launch-items/{id}/undo', { params: { path: { id } }, body: { reason } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['launch', productId] });
      await client.invalidateQueries({ queryKey: ['launch-items'] });
    },
  });
}
