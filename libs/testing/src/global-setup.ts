import { setUpTestEnvironment } from './lib/environment';

export default async function globalSetup(): Promise<void> {
  await setUpTestEnvironment();
}
