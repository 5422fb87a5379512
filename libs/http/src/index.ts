export * from './lib/api-exception';
export * from './lib/exception.filter';
export * from './lib/internal-auth';
export * from './lib/health';
export * from './lib/lossless-body';
export * from './lib/bootstrap';
export * from './lib/body-validator';
