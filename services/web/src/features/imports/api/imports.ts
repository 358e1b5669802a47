import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api';

/** One import, polled every second while it commits (the progress bar follows it). */
export function useImport(id: string | undefined) {
  return useQuery({
    queryKey: ['import', id],
    enabled: id !== undefined,
    queryFn: async () => unwrap(await api.GET('/api/imports/{id}', { params: { path: { id: id ?? '' } } })),
    refetchInterval: (query) => (query.state.data?.status === 'committing' ? 1000 : false),
  });
}

export type ImportView = NonNullable<ReturnType<typeof useImport>['data']>;

export function useRecentImports() {
  return useQuery({
    queryKey: ['imports'],
    queryFn: async () => unwrap(await api.GET('/api/imports', { params: { query: { limit: 10 } } })),
  });
}

export function useImportFields() {
  return useQuery({
    queryKey: ['import-fields'],
    staleTime: Infinity,
    queryFn: async () => unwrap(await api.GET('/api/import-fields')),
  });
}

/** Uploads a file as multipart (kind and sheet first, then the file, as the route wants them). */
export function useUpload() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: { kind: string; sheet?: string; file: File }) => {
      const form = new FormData();
      form.append('kind', input.kind);
      if (input.sheet) form.append('sheet', input.sheet);
      form.append('file', input.file, input.file.name);
      return unwrap(
        await api.POST('/api/imports', {
          // The route takes multipart/form-data, which the generated types do not describe.
          body: form as never,
          bodySerializer: (body: unknown) => body as FormData,
        }),
      );
    },
    onSuccess: (view) => {
      client.setQueryData(['import', view.id], view);
      void client.invalidateQueries({ queryKey: ['imports'] });
    },
  });
}

export function useRemap(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (mapping: Record<string, string>) =>
      unwrap(await api.PUT('/api/imports/{id}/mapping', { params: { path: { id } }, body: { mapping } })),
    onSuccess: (view) => client.setQueryData(['import', id], view),
  });
}

export function useCommit(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/imports/{id}/commit', { params: { path: { id } } })),
    onSuccess: (view) => {
      client.setQueryData(['import', id], view);
      void client.invalidateQueries({ queryKey: ['imports'] });
    },
  });
}

/** Downloads the refused rows (CSV with a reason column) through the authenticated client. */
export async function downloadRefused(id: string, fileName: string): Promise<void> {
  const result = await api.GET('/api/imports/{id}/refused.csv', {
    params: { path: { id } },
    parseAs: 'blob',
  });
  if (!result.response.ok || !(result.data instanceof Blob)) throw new Error(result.response.statusText);
  const url = URL.createObjectURL(result.data);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}
