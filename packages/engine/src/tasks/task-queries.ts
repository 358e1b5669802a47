import { listNotifications, listTaskComments, listTaskEvidence, listTasks } from '@tower/db';
import type { TaskSignal, TaskStatus } from '@tower/domain';
import { requirePerson } from '../access.js';
import type { Actor, EngineContext } from '../context.js';
import { taskScopes, visibleTask } from './task-access.js';
import { toView, type TaskView } from './task-view.js';

export async function getTasks(
  ctx: EngineContext,
  actor: Actor,
  filter: {
    mine?: boolean;
    status?: TaskStatus;
    signal?: TaskSignal;
    productId?: string;
    branchId?: string;
    after?: string;
    limit: number;
  },
): Promise<TaskView[]> {
  const person = requirePerson(actor);
  const scopes = taskScopes(person);
  const rows = await listTasks(ctx.db, {
    ...(filter.mine ? { personId: person.id } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.signal ? { signal: filter.signal } : {}),
    ...(filter.productId ? { productId: filter.productId } : {}),
    ...(filter.branchId ? { branchId: filter.branchId } : {}),
    ...(scopes && !filter.mine ? { scopes } : {}),
    ...(filter.after ? { after: filter.after } : {}),
    limit: filter.limit,
  });
  const evidence = await listTaskEvidence(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toView(row, evidence));
}

export async function getTask(ctx: EngineContext, actor: Actor, id: string) {
  const person = requirePerson(actor);
  const { task } = await visibleTask(ctx, ctx.db, person, id, false);
  const [evidence, comments, notifications] = await Promise.all([
    listTaskEvidence(ctx.db, [id]),
    listTaskComments(ctx.db, id),
    listNotifications(ctx.db, id),
  ]);
  return {
    ...toView(task, evidence),
    comments: comments.map((c) => ({ id: c.id, authorId: c.authorId, text: c.text, createdAt: c.createdAt })),
    notifications,
  };
}
