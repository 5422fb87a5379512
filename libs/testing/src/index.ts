export * from './lib/environment';
export * from './lib/fixtures';
export * from './lib/wait';
export * from './lib/topic-reader';
export * from './lib/stack';
export * from './lib/migrations-suite';
export * from './lib/builders';
export * from './lib/postgres-local';
