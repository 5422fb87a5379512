export * from './lib/topics';
export * from './lib/messages';
export * from './lib/schemas';
export * from './lib/validation';
export * from './lib/http-errors';
export * from './lib/event-ids';
export type * from './lib/management-api';
