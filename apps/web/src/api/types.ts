import type { components, paths } from './schema';

type S = components['schemas'];

/** The JSON shapes of the API, from its OpenAPI document. */
export type Task = S['Task'];
export type TaskPage = S['TaskPage'];
export type List = S['List'];
export type SavedFilter = S['SavedFilter'];
export type AppNotification = S['Notification'];
export type HistoryItem = S['TaskHistory']['items'][number];
export type Occurrences = S['Occurrences'];
export type AccessToken = S['TokenList']['items'][number];
export type ConversationSummary = S['ConversationList']['items'][number];
export type Conversation = S['Conversation'];
export type ReminderSpec = Task['reminders'][number];
/** Body of PATCH /tasks/:id */
export type TaskInput = NonNullable<
  paths['/api/v1/tasks/{id}']['patch']['requestBody']
>['content']['application/json'];
export type TaskListQuery = NonNullable<paths['/api/v1/tasks']['get']['parameters']['query']>;

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}
