import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api';
import type { Page } from './api-types';

/** Every item of a paged list route, following `nextCursor` (for short reference lists only). */
export async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}

/** Branches, departments and people, loaded once and shared by every page (names for ids). */
export function useOrg() {
  const branches = useQuery({
    queryKey: ['branches'],
    queryFn: async () => unwrap(await api.GET('/api/branches')).items,
    staleTime: 60_000,
  });
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: async () => unwrap(await api.GET('/api/departments')).items,
    staleTime: 60_000,
  });
  const people = useQuery({
    queryKey: ['people'],
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(await api.GET('/api/people', { params: { query: { limit: 200, cursor } } })),
      ),
    staleTime: 60_000,
  });
  const nameOf = (list: readonly { id: string; name: string }[] | undefined, id: string | null | undefined) =>
    (id && list?.find((x) => x.id === id)?.name) ?? (id ? id.slice(0, 8) : '—');
  return {
    branches: branches.data ?? [],
    departments: departments.data ?? [],
    people: people.data ?? [],
    branchName: (id: string | null | undefined) => nameOf(branches.data, id),
    departmentName: (id: string | null | undefined) => nameOf(departments.data, id),
    personName: (id: string | null | undefined) => nameOf(people.data, id),
  };
}
