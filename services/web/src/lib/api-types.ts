// Names for the shapes the pages show, each taken from the generated schema (src/lib/api-schema.d.ts, from
// /docs/json): a change of a route's response schema breaks the build of the pages that use it.
import type { ResponseOf } from './api';

type Item<T> = T extends { items: (infer I)[] } ? I : never;

export type Person = ResponseOf<'/api/people/me', 'get'>;
export type PersonRow = Item<ResponseOf<'/api/people', 'get'>>;
export type RoleGrant = Person['roles'][number];
export type Named = Item<ResponseOf<'/api/branches', 'get'>>;
export type Product = Item<ResponseOf<'/api/products', 'get'>>;
export type ProductDetail = ResponseOf<'/api/products/{id}', 'get'>;
export type CompetitorPrice = Item<ResponseOf<'/api/products/{id}/competitor-prices', 'get'>>;
export type Task = Item<ResponseOf<'/api/tasks', 'get'>>;
export type TaskDetail = ResponseOf<'/api/tasks/{id}', 'get'>;
export type ProductLaunch = ResponseOf<'/api/products/{id}/launch', 'get'>;
export type LaunchItem = ProductLaunch['items'][number];
/** One of my launch items across products (`GET /api/launch-items`), with its product's name. */
export type MyLaunchItem = Item<ResponseOf<'/api/launch-items', 'get'>>;
export type HistoryEntry = Item<ResponseOf<'/api/products/{id}/history', 'get'>>;
export type Trainee = Item<ResponseOf<'/api/products/{id}/trainees', 'get'>>;
export type ApiKeyRow = Item<ResponseOf<'/api/api-keys', 'get'>>;
export type CalendarDay = Item<ResponseOf<'/api/calendar', 'get'>>;
export type Silence = Item<ResponseOf<'/api/silences', 'get'>>;
export type Rules = ResponseOf<'/api/rules', 'get'>;

/** One page of a cursor-paginated list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
