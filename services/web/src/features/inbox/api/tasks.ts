import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Decision, Signal, TaskStatus } from '@tower/domain';
import { api, unwrap } from '../../../lib/api';

export interface TaskFilter {
  status?: TaskStatus;
  signal?: Signal;
  productId?: string;
  cursor?: string;
}

/** Polls, so a new task shows up without a reload (the inbox "refreshes by itself"). */
export const INBOX_POLL_MS = 15_000;

export function useMyTasks(filter: TaskFilter, limit = 50) {
  return useQuery({
    queryKey: ['tasks', 'mine', filter, limit],
    queryFn: async () =>
      unwrap(await api.GET('/api/tasks', { params: { query: { mine: true, limit, ...filter } } })),
    refetchInterval: INBOX_POLL_MS,
    placeholderData: (previous) => previous,
  });
}

export function useProductTasks(productId: string) {
  return useQuery({
    queryKey: ['tasks', 'product', productId],
    queryFn: async () =>
      unwrap(await api.GET('/api/tasks', { params: { query: { productId, limit: 100 } } })),
  });
}

export function useMyLaunchItems() {
  return useQuery({
    queryKey: ['launch-items', 'mine'],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/launch-items', {
          params: { query: { mine: true, status: 'pending', limit: 200 } },
        }),
      ),
    refetchInterval: INBOX_POLL_MS,
  });
}

export function useTask(id: string) {
  return useQuery({
    queryKey: ['task', id],
    queryFn: async () => unwrap(await api.GET('/api/tasks/{id}', { params: { path: { id } } })),
    refetchInterval: INBOX_POLL_MS,
  });
}

function useTaskMutation<V>(id: string, run: (vars: V) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['task', id] });
      await client.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
}

export function useTaskActions(id: string) {
  const path = { params: { path: { id } } };
  return {
    acknowledge: useTaskMutation(id, async () => unwrap(await api.POST('/api/tasks/{id}/acknowledge', path))),
    comment: useTaskMutation(id, async (text: string) =>
      unwrap(await api.POST('/api/tasks/{id}/comments', { ...path, body: { text } })),
    ),
    resolve: useTaskMutation(id, async (body: { decision: Decision; note: string }) =>
      unwrap(await api.POST('/api/tasks/{id}/resolve', { ...path, body })),
    ),
    feedback: useTaskMutation(id, async (useful: boolean) =>
      unwrap(await api.POST('/api/tasks/{id}/feedback', { ...path, body: { useful } })),
    ),
  };
}
