export * from './errors.ts';
export * from './filter/index.ts';
export * from './quick-add/index.ts';
export * from './recurrence/index.ts';
export * from './tasks/task-rules.ts';
export * from './time/zones.ts';
