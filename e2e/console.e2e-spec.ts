/**
 * The web console, end to end: a person in Chromium (Debian's, driven by playwright-core)
 * against the real stack (four services, the real broker and Postgres), doing the product's
 * three steps: get the URL, map the unique id and variables from the tree, fill the order
 * set, preview, go live, and see the webhook that follows triggered in the event log. Each
 * step depends on the one before, so they run in order. Each step's screenshot goes to
 * tmp/console-screenshots/ (and, with HOOKLINE_UPDATE_SCREENSHOTS=1, to docs/console/ for
 * the README).
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'lossless-json';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createTestDatabase, dropTestDatabase, fixtureBytes, REPO_ROOT, type Stack, startStack, testEnvironment, waitFor } from '@hookline/testing';
import { ApiClient } from './api-client';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'tmp/console-screenshots');
const DOCS_SHOTS = join(REPO_ROOT, 'docs/console');
const ORDER = 'shopify__orders_create.json';
const CHECKOUT = 'shopify__checkouts_create.json';


/** The page's globals, inside page.evaluate (this file is compiled for Node, without the DOM's types; the cast vanishes in the page). */
interface BrowserGlobals {
  sessionStorage: { getItem(key: string): string | null };
  localStorage: { length: number };
  navigator: { clipboard: { readText(): Promise<string> } };
  scrollTo(x: number, y: number): void;
}

describe('the console: set up a webhook trigger in three steps, and watch it work', () => {
  let stack: Stack;
  let databaseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let apiKey: string;
  let triggerId: string;
  let webhookUrl: string;
  let orderSampleId: string;
  let liveEventId: string;
  /** Uncaught errors and refusals of the page's Content-Security-Policy, which must not happen. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: \`npm test\` installs it (apt-get install -y chromium), or set CHROMIUM_PATH`);
    }
    const env = testEnvironment();
    databaseUrl = await createTestDatabase('e2e_console');
    stack = await startStack({ kafkaBrokers: env.kafkaBrokers, databaseUrl });
    const workspace = await new ApiClient(stack.baseUrl, stack.adminToken).post<{ apiKey: string }>('/v1/workspaces', { name: 'Console' });
    expect(workspace.status).toBe(201);
    apiKey = workspace.body.apiKey;
    // A fresh profile per launch (playwright-core makes one); no network but this machine's.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    // A laptop screen.
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
    // Chromium also logs each non-2xx answer as an error ("Failed to load resource"): those are the API's to give.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  async function shot(name: string): Promise<void> {
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file });
    if (process.env.HOOKLINE_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(DOCS_SHOTS, { recursive: true });
      copyFileSync(file, join(DOCS_SHOTS, `${name}.png`));
    }
  }

  async function post(fixture: string, deliveryId: string, body: Buffer = fixtureBytes(fixture)): Promise<string> {
    const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': deliveryId }, body });
    expect(res.status).toBe(202);
    return ((await res.json()) as { eventId: string }).eventId;
  }

  /** The event log's row of an event, once it shows `status` (the log refreshes itself). */
  async function eventRow(eventId: string, status: string) {
    const row = page.locator(`tr[data-status="${status}"]`, { has: page.locator(`text=${eventId}`) });
    try {
      await row.waitFor({ state: 'attached', timeout: 30_000 });
    } catch (error) {
      // Say what the API had, beside what the page showed.
      await page.screenshot({ path: join(SHOTS, `failed-${status}-${eventId}.png`) });
      const log = await new ApiClient(stack.baseUrl, apiKey).get<{ items: Array<{ eventId: string; status: string; reason: string | null }> }>(`/v1/triggers/${triggerId}/events`);
      throw new Error(`${String(error)}\nthe API's log: ${JSON.stringify(log.body.items.map((e) => [e.eventId, e.status, e.reason]))}`);
    }
    return row;
  }

  it('1. signs in with an API key, kept in session storage only', async () => {
    await page.goto(`${stack.baseUrl}/console/`);
    await page.getByLabel('Workspace API key').fill('hk_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This API key is not valid' }).waitFor();

    await page.getByLabel('Workspace API key').fill(apiKey);
    await shot('01-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Triggers', level: 1 }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('hookline.apiKey'))).toBe(apiKey);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).localStorage.length)).toBe(0);
    expect((await context.cookies()).length).toBe(0);
  });

  it('2. creates a trigger and shows its URL, with a copy button and a ready curl line', async () => {
    await page.getByLabel('Flow id').fill('flow_order_thanks');
    await page.getByLabel('Name (optional)').fill('Shopify orders');
    await page.getByRole('button', { name: 'Create trigger' }).click();
    await page.getByRole('heading', { name: 'Shopify orders', level: 1 }).waitFor();
    triggerId = /\/console\/triggers\/([^/]+)$/.exec(page.url())?.[1] ?? '';
    expect(triggerId).toMatch(/^trg_/);

    webhookUrl = await page.getByLabel('URL', { exact: true }).inputValue();
    expect(webhookUrl).toMatch(new RegExp(`^${stack.baseUrl}/hooks/${triggerId}/[A-Za-z0-9_-]{40,}$`));
    expect(await page.getByLabel('Try it with curl').inputValue()).toBe(`curl -X POST '${webhookUrl}' -H 'content-type: application/json' --data-binary @payload.json`);
    await page.getByRole('button', { name: 'Copy URL' }).click();
    await page.getByText('Copied').first().waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.clipboard.readText())).toBe(webhookUrl);
    await page.getByText('Waiting for the first webhook').waitFor();
    await shot('02-trigger-url');
  });

  it('3. shows samples as they arrive, with their time and size; one opens', async () => {
    orderSampleId = await post(ORDER, 'sample-1');
    await post(CHECKOUT, 'sample-2');
    await page.getByText('2 samples stored; new ones appear as they arrive.').waitFor();
    const rows = page.locator('section[aria-labelledby="samples-heading"] tbody tr');
    expect(await rows.count()).toBe(2);
    // Newest first: the checkout (6.6 KB), then the order (14.5 KB).
    expect(await rows.nth(0).textContent()).toContain('6.6 KB');
    expect(await rows.nth(1).textContent()).toContain('14.5 KB');
    await rows.nth(1).getByRole('button', { name: /^Open sample received/ }).click();
    const body = page.getByRole('region', { name: 'Sample body' });
    await body.waitFor();
    expect(await body.textContent()).toContain('"email": "jon@example.com"');
    await shot('03-samples');
    await page.getByRole('button', { name: /^Close sample received/ }).click();
  });

  it('4. picks the unique id and two variables in the tree of both samples; a 422 shows beside its field', async () => {
    // The tabs follow the arrow keys.
    await page.getByRole('tab', { name: '1 · URL and samples' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: '2 · Map and preview' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('heading', { name: 'Variables from 2 samples' }).waitFor();

    // The order's own email is in both samples; presence says so, and its role shows.
    const emailRow = page.locator('.node', { has: page.getByRole('checkbox', { name: 'Pick email as a variable', exact: true }) });
    expect(await emailRow.textContent()).toMatch(/present in 2 of 2 samples.*e\.g\. ".+".*email/);

    // Saving an empty mapping: the API's 422, each problem beside its field.
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Not saved: the mapping has \d+ problems?/).waitFor();
    const type = page.getByLabel('Type', { exact: true });
    expect(await type.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#problems_uniqueId_type').textContent()).toContain('MISSING_FIELD');

    // The unique id, picked in the tree; its role brings the type.
    await page.getByRole('button', { name: 'Pick the unique id in the tree' }).click();
    await page.getByRole('button', { name: 'Use email for the unique id', exact: true }).click();
    expect(await page.getByLabel('Path', { exact: true }).inputValue()).toBe('email');
    expect(await type.inputValue()).toBe('email');
    expect(await emailRow.textContent()).toContain('unique id');
    // Both problems were about fields now filled: they are gone.
    expect(await page.locator('#problems_uniqueId_type').count()).toBe(0);
    expect(await type.getAttribute('aria-invalid')).toBeNull();

    // Two variables: the total, and the first line item's title (inside the array).
    await page.getByRole('checkbox', { name: 'Pick total_price as a variable' }).check();
    await page.getByRole('button', { name: 'Expand line_items' }).click();
    await page.getByRole('button', { name: 'Expand line_items[]' }).click();
    await page.getByRole('checkbox', { name: 'Pick line_items[].title as a variable' }).check();
    await page.getByLabel('Name of total_price').fill('orderTotal');
    expect(await page.getByLabel('Type of total_price').inputValue()).toBe('number');
    await page.getByLabel('Name of line_items[0].title').fill('firstItem');
    await page.locator('.map-tree').evaluate((tree) => tree.scrollTo(0, 0));
    await page.getByRole('heading', { name: 'Unique id' }).scrollIntoViewIfNeeded();
    await shot('04-unique-id-and-variables');
  });

  it('5. fills the order set and the products by picking paths', async () => {
    const pick = async (field: string, path: string) => {
      await page.getByRole('button', { name: `Pick ${field} in the tree` }).click();
      await page.getByRole('button', { name: `Use ${path} for ${field}`, exact: true }).click();
    };
    await pick('order.id', 'id');
    await pick('order.name', 'name');
    await pick('order.totalPrice', 'total_price');
    await pick('order.currency', 'currency');
    expect(await page.locator('#field_variableSets_order_totalPrice').inputValue()).toBe('total_price');

    await page.locator('summary', { hasText: 'products' }).click();
    await page.getByRole('button', { name: 'Pick products, the array of items in the tree' }).click();
    await page.getByRole('button', { name: 'Use line_items for products (an array)', exact: true }).click();
    expect(await page.getByLabel('From the array').inputValue()).toBe('line_items[]');
    await pick('products.name', 'line_items[].title');
    await pick('products.price', 'line_items[].price');
    await pick('products.quantity', 'line_items[].quantity');
    expect(await page.locator('#field_variableSets_products_fields_price').inputValue()).toBe('price');
    await page.getByRole('heading', { name: 'Variable sets (optional)' }).scrollIntoViewIfNeeded();
    await shot('05-variable-sets');
  });

  it('6. previews the mapping on the stored order sample', async () => {
    await page.getByLabel('Sample', { exact: true }).selectOption(orderSampleId);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByRole('heading', { name: `Preview of sample ${orderSampleId}` }).waitFor();
    const preview = page.locator('.preview');
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('jon@example.com');
    expect(text).toContain('orderTotal');
    expect(text).toContain('404.95');
    expect(text).toContain('Aviator sunglasses');
    // The order id keeps every digit.
    expect(text).toContain('"id": "820982911946154508"');
    await page.getByRole('heading', { name: `Preview of sample ${orderSampleId}` }).scrollIntoViewIfNeeded();
    await shot('06-preview');
  });

  it('7. saves the mapping and goes live', async () => {
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText('Saved as version 1.').waitFor();
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByText('Live: each webhook starts the flow, mapped with version 1.').waitFor();
    const saved = await new ApiClient(stack.baseUrl, apiKey).get<{ version: number; definition: Record<string, unknown> }>(`/v1/triggers/${triggerId}/mapping`);
    expect(saved.body).toMatchObject({
      version: 1,
      definition: {
        uniqueId: { type: 'email', path: 'email' },
        variables: [
          { name: 'orderTotal', path: 'total_price', type: 'number' },
          { name: 'firstItem', path: 'line_items[0].title', type: 'string' },
        ],
        variableSets: { order: { id: 'id', name: 'name', totalPrice: 'total_price', currency: 'currency' }, products: { from: 'line_items[]', fields: { name: 'title', price: 'price', quantity: 'quantity' } } },
      },
    });
    await page.evaluate(() => (globalThis as unknown as BrowserGlobals).scrollTo(0, 0));
    await shot('07-live');
  });

  it('8. a webhook posted now shows as triggered in the event log, filtered by status', async () => {
    liveEventId = await post(ORDER, 'order-1001');
    await page.getByRole('tab', { name: '3 · Event log' }).click();
    const row = await eventRow(liveEventId, 'triggered');
    expect(await row.textContent()).toMatch(/cus_/);
    // The two samples were received while listening.
    expect(await page.locator('tr[data-status="accepted"]').count()).toBe(2);
    await page.getByLabel('Status', { exact: true }).selectOption('triggered');
    await page.getByText('Loading…').waitFor({ state: 'detached' });
    await eventRow(liveEventId, 'triggered');
    expect(await page.locator('tbody tr[data-status]').count()).toBe(1);
    await shot('08-event-log');
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await eventRow(orderSampleId, 'accepted');
  });

  it('9. pauses; a webhook is skipped, and is replayed once live again', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText(/^Paused: webhooks are accepted/).waitFor();
    const paused = await post(ORDER, 'order-1002');
    const skipped = await eventRow(paused, 'skipped');
    expect(await skipped.textContent()).toContain('TRIGGER_PAUSED');
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByText('Live: each webhook starts the flow, mapped with version 1.').waitFor();
    await page.getByRole('button', { name: `Replay event ${paused}` }).click();
    await eventRow(paused, 'triggered');
    await shot('09-replay');
  });

  it('10. shows drift on the trigger when a mapped field stops arriving (after a reload, which keeps the session)', async () => {
    // The order without its total, edited losslessly (its ids keep every digit).
    const order = parse(fixtureBytes(ORDER).toString('utf8')) as Record<string, unknown>;
    delete order.total_price;
    const body = Buffer.from(stringify(order) ?? '');
    const drifted = await post(ORDER, 'order-1003', body);
    await page.getByRole('tab', { name: '3 · Event log' }).click();
    await eventRow(drifted, 'triggered');
    await waitFor(async () => {
      const drift = await new ApiClient(stack.baseUrl, apiKey).get<{ items: Array<{ path: string }> }>(`/v1/triggers/${triggerId}/drift`);
      return drift.body.items.some((d) => d.path === 'total_price');
    }, 20_000, 'drift on total_price');
    await page.reload();
    const drift = page.getByRole('region', { name: 'Drift' });
    // Drift, and the alert of the variable picker (which loads with the samples).
    await drift.getByText(/stopped arriving — 1 time/).waitFor();
    await drift.getByText('is mapped but was not in the latest sample', { exact: false }).waitFor();
    expect(await drift.textContent()).toContain('total_price stopped arriving');
    expect(await drift.textContent()).toContain('total_price is mapped but was not in the latest sample');
    // The URL is not shown again after a reload: the API returns it only when it is issued.
    expect(await page.getByLabel('URL', { exact: true }).count()).toBe(0);
    await page.getByText("Hookline keeps only a hash of the URL's secret token").waitFor();
    await shot('10-drift');
  });

  it('11. ran without an uncaught error or a refusal of its Content-Security-Policy', () => {
    expect(pageErrors).toEqual([]);
  });
});
