import { LiveSampler } from './live-sampler';

describe('LiveSampler', () => {
  it('learns from a shape once per interval, and from a new shape at once', () => {
    const sut = new LiveSampler(1_000);
    expect(sut.take('trg_1', 'a', 0)).toBe(true);
    expect(sut.take('trg_1', 'a', 500)).toBe(false);
    expect(sut.take('trg_1', 'b', 600)).toBe(true);
    expect(sut.take('trg_2', 'a', 700)).toBe(true);
    expect(sut.take('trg_1', 'a', 1_000)).toBe(true);
    expect(sut.take('trg_1', 'a', 1_999)).toBe(false);
  });

  it('learns from every event when the interval is 0', () => {
    const sut = new LiveSampler(0);
    expect([sut.take('t', 'a', 0), sut.take('t', 'a', 0)]).toEqual([true, true]);
  });

  it('stays bounded, forgetting the least recent triggers and shapes first', () => {
    const sut = new LiveSampler(60_000, 2, 2);
    sut.take('t1', 'a', 0);
    sut.take('t2', 'a', 0);
    sut.take('t1', 'a', 1); // t1 is now the most recent
    sut.take('t3', 'a', 2); // evicts t2
    expect(sut.take('t1', 'a', 3)).toBe(false);
    expect(sut.take('t2', 'a', 3)).toBe(true);
    sut.take('t1', 'b', 4);
    sut.take('t1', 'c', 5); // evicts shape a of t1
    expect(sut.take('t1', 'a', 6)).toBe(true);
  });

  it('learns again from a forgotten trigger', () => {
    const sut = new LiveSampler(60_000);
    sut.take('t1', 'a', 0);
    sut.forget('t1');
    expect(sut.take('t1', 'a', 1)).toBe(true);
  });
});
