import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, getToken, unwrap, type RequestBody } from '../../../lib/api';

export function useReviews() {
  return useQuery({
    queryKey: ['reviews'],
    queryFn: async () => unwrap(await api.GET('/api/reviews', { params: { query: { limit: 50 } } })),
    // A review computes in the background: poll while one is pending.
    refetchInterval: (query) => (query.state.data?.items.some((r) => r.status === 'pending') ? 3000 : false),
  });
}

export function useReview(id: string) {
  return useQuery({
    queryKey: ['review', id],
    queryFn: async () => unwrap(await api.GET('/api/reviews/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? 3000 : false),
  });
}

export type Review = NonNullable<ReturnType<typeof useReview>['data']>;
export type ReviewDepartment = Review['departments'][number];
export type ReviewRow = ReviewDepartment['rows'][number];

export function useStartReview() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (quarter: string) =>
      unwrap(await api.POST('/api/reviews/quarterly', { body: { quarter } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reviews'] }),
  });
}

export function useDecide(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: RequestBody<'/api/reviews/{id}/decisions', 'post'>) =>
      unwrap(await api.POST('/api/reviews/{id}/decisions', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['review', id] }),
  });
}

/** The CSV needs the bearer token, so it is fetched and handed to the browser as a file. */
export async function downloadReportCsv(id: string, quarter: string): Promise<void> {
  const res = await fetch(`/api/reviews/${id}/report.csv`, {
    headers: { authorization: `Bearer ${getToken() ?? ''}` },
  });
  if (!res.ok) throw new Error(res.statusText);
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `review-${quarter}.csv`;
  link.click();
  URL.revokeObjectURL(url);
}
