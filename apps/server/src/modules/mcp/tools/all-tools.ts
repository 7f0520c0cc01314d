import type { ToolDefinition } from '../tool.ts';
import { getTaskHistory, listLists, listTags, overview, snoozeReminder } from './context.tools.ts';
import {
  addTasks,
  completeTasks,
  deleteTasks,
  findTasks,
  getTaskTool,
  reopenTasks,
  restoreTasks,
  skipOccurrence,
  updateTasks,
} from './tasks.tools.ts';

/** Every tool, in the order clients list them. */
export const allTools: ToolDefinition[] = [
  addTasks,
  findTasks,
  getTaskTool,
  updateTasks,
  completeTasks,
  reopenTasks,
  deleteTasks,
  restoreTasks,
  skipOccurrence,
  snoozeReminder,
  listLists,
  listTags,
  getTaskHistory,
  overview,
] as unknown as ToolDefinition[];
