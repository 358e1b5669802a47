export type { TaskView } from './task-view.js';
export { getTask, getTasks } from './task-queries.js';
export { acknowledgeTask, commentOnTask, giveTaskFeedback, resolveTask } from './task-actions.js';
