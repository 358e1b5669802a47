import type { Executor } from '../connection.js';

export async function insertTaskComment(
  db: Executor,
  comment: { taskId: string; authorId: string; text: string },
) {
  return db.insertInto('taskComments').values(comment).returningAll().executeTakeFirstOrThrow();
}

export async function listTaskComments(db: Executor, taskId: string) {
  return db
    .selectFrom('taskComments')
    .selectAll()
    .where('taskId', '=', taskId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}
