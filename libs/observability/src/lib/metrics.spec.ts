import { currentContext, runInContext } from './context';
import { ServiceMetrics } from './metrics';
import { traceIdOf } from './trace-context';

const RECEIVED = 'hookline.webhook.received.v1';
const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('ServiceMetrics', () => {
  it('handles each record in a unit of work of its own that continues its trace, and counts it by outcome', async () => {
    const sut = new ServiceMetrics();
    const observer = sut.messageObserver();
    let inside: ReturnType<typeof currentContext>;
    await observer.handle(RECEIVED, { topic: RECEIVED, headers: { traceparent: TRACE, 'hookline-event-id': 'evt-1' } }, async () => {
      observer.decoded({ eventId: 'evt-1', workspaceId: 'ws_1', triggerId: 'trg_1' });
      inside = currentContext();
    });
    expect(inside).toMatchObject({ eventId: 'evt-1', workspaceId: 'ws_1', triggerId: 'trg_1', topic: RECEIVED });
    expect(traceIdOf(inside!.traceparent!)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(inside!.traceparent).not.toBe(TRACE);

    await observer.handle(RECEIVED, { topic: RECEIVED, headers: {} }, async () => observer.deadLettered(RECEIVED, 'UNIQUE_ID_MISSING'));
    await expect(observer.handle(RECEIVED, { topic: RECEIVED, headers: {} }, () => Promise.reject(new Error('stopping')))).rejects.toThrow('stopping');

    const text = await sut.render();
    expect(sample(text, 'hookline_kafka_consumed_messages_total', { topic: RECEIVED, outcome: 'handled' })).toBe(1);
    expect(sample(text, 'hookline_kafka_consumed_messages_total', { topic: RECEIVED, outcome: 'dead_lettered' })).toBe(1);
    expect(sample(text, 'hookline_kafka_consumed_messages_total', { topic: RECEIVED, outcome: 'retried' })).toBe(1);
    expect(sample(text, 'hookline_dead_letters_total', { topic: RECEIVED, code: 'UNIQUE_ID_MISSING' })).toBe(1);
    expect(sample(text, 'hookline_kafka_consumer_processing_seconds_count', { topic: RECEIVED })).toBe(3);
  });

  it("gives produced messages the current trace, and measures each produce call", async () => {
    const sut = new ServiceMetrics();
    const observer = sut.producerObserver();
    expect(observer.headers()).toBeUndefined();
    expect(runInContext({ traceparent: TRACE }, () => observer.headers())).toEqual({ traceparent: TRACE });
    observer.produced({ messagesByTopic: new Map([[RECEIVED, 3], ['hookline.webhook.rejected.v1', 1]]), messages: 4, seconds: 0.004, ok: true });
    observer.produced({ messagesByTopic: new Map([[RECEIVED, 2]]), messages: 2, seconds: 3, ok: false });
    const text = await sut.render();
    expect(sample(text, 'hookline_kafka_produced_messages_total', { topic: RECEIVED, outcome: 'ok' })).toBe(3);
    expect(sample(text, 'hookline_kafka_produced_messages_total', { topic: RECEIVED, outcome: 'failed' })).toBe(2);
    expect(sample(text, 'hookline_kafka_produce_duration_seconds_count', { outcome: 'failed' })).toBe(1);
    expect(sample(text, 'hookline_kafka_produce_batch_size_sum')).toBe(6);
  });

  it('reads the consumer lag at scrape time, and reports none while the broker does not answer', async () => {
    const sut = new ServiceMetrics();
    let answer: () => Promise<Array<{ topic: string; partition: number; lag: number }>> = async () => [{ topic: RECEIVED, partition: 2, lag: 17 }];
    sut.consumerLag(() => answer(), 50);
    expect(sample(await sut.render(), 'hookline_kafka_consumer_lag', { topic: RECEIVED, partition: '2' })).toBe(17);
    answer = () => new Promise(() => undefined);
    expect(sample(await sut.render(), 'hookline_kafka_consumer_lag', { topic: RECEIVED })).toBeUndefined();
  });
});
