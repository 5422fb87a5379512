export * from './lib/data-source';
export * from './lib/cursor';
export * from './lib/statement';
export * from './lib/coalescer';
export * from './lib/readiness';
