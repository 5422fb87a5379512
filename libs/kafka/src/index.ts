export * from './lib/producer';
export * from './lib/batching-producer';
export * from './lib/provision';
export * from './lib/consumed-message';
export * from './lib/kafka-server';
export * from './lib/handle-message';
export * from './lib/topic-names';
