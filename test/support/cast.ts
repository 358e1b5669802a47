import type { Db, RoleGrant } from '@tower/db';
import type { ChannelKind } from '@tower/domain';
import { makeBranch, makeDepartment, makePerson, type TestPerson } from './api.js';
import { withChannels } from './fixtures.js';

/** A grant as the person factory takes it: a role, limited to a department and/or branch or not. */
type Grant = Partial<RoleGrant>;

/**
 * A person of the cast: their grants (named after their key), or grants with a name and/or the kinds of
 * channel they are reached on (at `channelsAt`).
 */
type Casting =
  | readonly Grant[]
  | {
      readonly name?: string;
      readonly roles: readonly Grant[];
      readonly channels?: readonly ChannelKind[];
    };

export interface Org<D extends string, B extends string> {
  /** Department ids by code. */
  readonly departments: Record<D, string>;
  /** Branch ids by code. */
  readonly branches: Record<B, string>;
}

export type Cast<D extends string, B extends string, P extends string> = Org<D, B> & {
  readonly people: Record<P, TestPerson>;
};

/**
 * The organisation a scenario plays in, made in one call: departments and branches by code, then the
 * people, whose grants may name them (`people` gets the ids). Each person gets a session token, and a
 * webhook per channel kind they list, at `${channelsAt}/${kind}/${personId}`.
 *
 *     const { departments, people } = await makeCast(h.db, {
 *       departments: ['injection'],
 *       branches: ['SH01'],
 *       people: ({ departments, branches }) => ({
 *         owner: [{ role: 'product_manager' }],
 *         manager: [{ role: 'department_manager', departmentId: departments.injection, branchId: branches.SH01 }],
 *       }),
 *     });
 */
export async function makeCast<const D extends string, const B extends string, P extends string>(
  db: Db,
  spec: {
    departments?: readonly D[];
    branches?: readonly B[];
    people: (org: Org<D, B>) => Record<P, Casting>;
    /** The base URL of the people's channel webhooks; needed when anyone lists channels. */
    channelsAt?: string;
  },
): Promise<Cast<D, B, P>> {
  const departments = {} as Record<D, string>;
  for (const code of spec.departments ?? []) departments[code] = (await makeDepartment(db, code)).id;
  const branches = {} as Record<B, string>;
  for (const code of spec.branches ?? []) branches[code] = (await makeBranch(db, code)).id;
  const castings = Object.entries(spec.people({ departments, branches })) as [P, Casting][];
  const people = {} as Record<P, TestPerson>;
  for (const [key, casting] of castings) {
    const { name = key, roles, channels = [] } = 'roles' in casting ? casting : { roles: casting };
    const person = await makePerson(db, [...roles], name);
    if (channels.length > 0) {
      if (spec.channelsAt === undefined) throw new Error(`makeCast: ${key} has channels but no channelsAt`);
      await withChannels(db, person, channels, spec.channelsAt);
    }
    people[key] = person;
  }
  return { departments, branches, people };
}
