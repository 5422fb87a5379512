/** One fault scenario: the provider's load around a fault, then every promise checked, and one line printed. */
import { describeScenario, type PipelineChecker, type Verdict } from './pipeline-checker';
import { DELIVERY_HEADER, orderBody } from './live-trigger';
import { type LoadSummary, WebhookLoad } from './webhook-load';

export const RATE = Number(process.env.FAULTS_RATE ?? 300);
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** What the edge may answer under these faults: 202, or 503 (the broker did not take the write), or no answer at all. */
export const ALLOWED_ANSWERS = new Set(['202', '503', 'error']);

/** The checks are cumulative: every 202 of every scenario of a file, and the last verdict for the per-scenario counts. */
export interface ScenarioLedger {
  accepted: Map<string, string>;
  previous?: Verdict;
}

export async function runScenario(
  name: string,
  target: { url: string; checker: PipelineChecker; ledger: ScenarioLedger },
  fault: (load: WebhookLoad) => Promise<void>,
): Promise<{ summary: LoadSummary; verdict: Verdict }> {
  const load = new WebhookLoad({ url: target.url, rate: RATE, body: orderBody, label: name.replace(/\W+/g, '-'), deliveryHeader: DELIVERY_HEADER, customers: 200 }).start();
  let summary: LoadSummary;
  try {
    await sleep(2_000);
    await fault(load);
    await sleep(2_000);
  } finally {
    // Stopped whether the fault went as planned or not: a load left running would go on
    // posting through every later scenario (and the checker would wait on its events).
    summary = await load.stop();
  }
  for (const [eventId, deliveryId] of load.accepted) target.ledger.accepted.set(eventId, deliveryId);
  const verdict = await target.checker.settle(target.ledger.accepted);
  // eslint-disable-next-line no-console
  console.log(describeScenario(name, summary, verdict, target.ledger.previous));
  target.ledger.previous = verdict;
  expectKept(summary, verdict);
  return { summary, verdict };
}

export function expectKept(summary: LoadSummary, verdict: Verdict): void {
  expect(Object.keys(summary.answers).filter((status) => !ALLOWED_ANSWERS.has(status))).toEqual([]);
  expect(summary.accepted).toBeGreaterThan(0);
  expect(verdict.missing).toEqual([]);
  expect(verdict.notReceived).toEqual([]);
  expect(verdict.duplicated).toEqual([]);
  expect(verdict.unpublished).toEqual([]);
  expect(verdict.stuck).toEqual([]);
  // Good traffic never fails: an outage is waited out, not dead-lettered.
  expect(verdict.outcomes.failed ?? 0).toBe(0);
}
