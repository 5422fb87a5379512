import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { describeEvent, outsideContext, runInContext } from './context';
import { createLogger, PinoNestLogger } from './logger';

/** A logger writing into an array of parsed lines. */
function capture(level: 'info' | 'debug' = 'debug') {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, sut: new PinoNestLogger(createLogger('mapping', level, sink)) };
}

describe('JSON logs', () => {
  it("writes one JSON object per line with the service, level, time, Nest's context and the message", () => {
    const { lines, sut } = capture();
    sut.log('listening', 'mapping');
    sut.warn({ msg: 'not ready', down: ['kafka'] }, 'health');
    sut.error('boom', 'Error: boom\n    at x (y.ts:1:1)', 'http');
    sut.debug('details', undefined);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', service: 'mapping', context: 'mapping', msg: 'listening', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
      expect.objectContaining({ level: 'warn', context: 'health', msg: 'not ready', down: ['kafka'] }),
      expect.objectContaining({ level: 'error', context: 'http', msg: 'boom', stack: expect.stringContaining('at x') }),
      expect.objectContaining({ level: 'debug', msg: 'details' }),
    ]);
  });

  it('drops lines below its level without building them', () => {
    const { lines, sut } = capture('info');
    sut.debug('hidden');
    sut.verbose('hidden too');
    expect(lines).toEqual([]);
  });

  it("puts the unit of work's trace and event on every line inside it, and nothing outside", async () => {
    const { lines, sut } = capture();
    await runInContext({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', topic: 'hookline.trigger.mapped.v1' }, async () => {
      describeEvent({ eventId: 'mapped-1', workspaceId: 'ws_1', triggerId: 'trg_1', source: { eventId: 'evt-1' } });
      await new Promise((r) => setTimeout(r, 1));
      sut.log('handled', 'messages');
      outsideContext(() => sut.log('relay'));
    });
    sut.log('after');
    expect(lines[0]).toMatchObject({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', eventId: 'evt-1', messageId: 'mapped-1', workspaceId: 'ws_1', triggerId: 'trg_1', topic: 'hookline.trigger.mapped.v1' });
    for (const line of lines.slice(1)) expect(line).not.toHaveProperty('trace_id');
  });

  it('redacts bodies, secrets and tokens in an object logged by mistake', () => {
    const { lines, sut } = capture();
    sut.warn({ msg: 'oops', body: '{"email":"a@b.c"}', verification: { secret: 's3cret' }, request: { headers: { authorization: 'Bearer k' } }, token: 't' });
    const text = JSON.stringify(lines);
    for (const leaked of ['a@b.c', 's3cret', 'Bearer k', '"t"']) expect(text).not.toContain(leaked);
    expect(lines[0]).toMatchObject({ body: '[redacted]', verification: { secret: '[redacted]' }, token: '[redacted]' });
  });

  it('is what `new Logger(context)` writes through once installed', () => {
    const { lines, sut } = capture();
    Logger.overrideLogger(sut);
    try {
      new Logger('edge').warn('drained');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', context: 'edge', msg: 'drained' })]);
  });
});
