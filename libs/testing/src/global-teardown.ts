import { tearDownTestEnvironment } from './lib/environment';

export default async function globalTeardown(): Promise<void> {
  await tearDownTestEnvironment();
}
