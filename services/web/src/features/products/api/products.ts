import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PriceType, Stage, Tier, TraineeRole } from '@tower/domain';
import { api, unwrap, type RequestBody } from '../../../lib/api';
import type { CompetitorPrice } from '../../../lib/api-types';

export type { CompetitorPrice };

export type SheetBody = RequestBody<'/api/products/{id}/sheet', 'put'>;
export type EventBody = RequestBody<'/api/products/{id}/events', 'post'>;
export type LifecycleEvent = EventBody['type'];

export function useProducts(filter: { stage?: Stage; tier?: Tier; departmentId?: string; cursor?: string }) {
  return useQuery({
    queryKey: ['products', 'page', filter],
    queryFn: async () =>
      unwrap(await api.GET('/api/products', { params: { query: { limit: 50, ...filter } } })),
    placeholderData: (previous) => previous,
  });
}

export function useProduct(id: string) {
  return useQuery({
    queryKey: ['product', id],
    queryFn: async () => unwrap(await api.GET('/api/products/{id}', { params: { path: { id } } })),
  });
}

export function useCompetitorPrices(id: string) {
  return useQuery({
    queryKey: ['product', id, 'competitors'],
    queryFn: async () =>
      unwrap(await api.GET('/api/products/{id}/competitor-prices', { params: { path: { id } } })).items,
  });
}

export function useTrainees(id: string) {
  return useQuery({
    queryKey: ['product', id, 'trainees'],
    queryFn: async () =>
      unwrap(await api.GET('/api/products/{id}/trainees', { params: { path: { id } } })).items,
  });
}

export function useHistory(id: string) {
  return useQuery({
    queryKey: ['product', id, 'history'],
    queryFn: async () =>
      unwrap(await api.GET('/api/products/{id}/history', { params: { path: { id } } })).items,
  });
}

/** Every write of the product page; each refreshes the product and what hangs off it. */
export function useProductActions(id: string) {
  const client = useQueryClient();
  const path = { params: { path: { id } } };
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['product', id] });
    await client.invalidateQueries({ queryKey: ['products'] });
  };
  const m = <V>(run: (vars: V) => Promise<unknown>) => useMutation({ mutationFn: run, onSuccess: refresh });
  return {
    saveSheet: m(async (body: SheetBody) =>
      unwrap(await api.PUT('/api/products/{id}/sheet', { ...path, body })),
    ),
    addCompetitorPrice: m(
      async (body: { competitor: string; priceFen: number; observedAt: string; platform?: string }) =>
        unwrap(await api.POST('/api/products/{id}/competitor-prices', { ...path, body })),
    ),
    saveTargetCustomers: m(async (description: string) =>
      unwrap(await api.PUT('/api/products/{id}/target-customers', { ...path, body: { description } })),
    ),
    saveCosts: m(
      async (body: {
        consumablesFen: number;
        labourFen: number;
        overheadFen: number;
        marketingFen: number;
      }) => unwrap(await api.PUT('/api/products/{id}/costs', { ...path, body })),
    ),
    savePrices: m(async (prices: { type: PriceType; amountFen: number; sessions?: number }[]) =>
      unwrap(await api.PUT('/api/products/{id}/prices', { ...path, body: { prices } })),
    ),
    saveLaunchBranches: m(async (body: { branchIds: string[]; targetLaunchDate: string }) =>
      unwrap(await api.PUT('/api/products/{id}/launch-branches', { ...path, body })),
    ),
    addTrainee: m(async (body: { branchId: string; name: string; role: TraineeRole }) =>
      unwrap(await api.POST('/api/products/{id}/trainees', { ...path, body })),
    ),
    recordResult: m(
      async ({ traineeId, passed, score }: { traineeId: string; passed: boolean; score?: number }) =>
        unwrap(
          await api.POST('/api/products/{id}/trainees/{traineeId}/result', {
            params: { path: { id, traineeId } },
            body: { passed, at: new Date().toISOString(), ...(score === undefined ? {} : { score }) },
          }),
        ),
    ),
    sendEvent: m(async (body: EventBody) =>
      unwrap(await api.POST('/api/products/{id}/events', { ...path, body })),
    ),
  };
}

export function useCreateProduct() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: {
      name: string;
      departmentId: string;
      tier: Tier;
      ownerId: string;
      vendor?: string;
    }) => unwrap(await api.POST('/api/products', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['products'] }),
  });
}
