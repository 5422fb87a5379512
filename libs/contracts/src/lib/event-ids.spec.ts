import { deterministicEventId } from './event-ids';

describe('deterministicEventId', () => {
  it('is a UUID, the same for the same input and different for another', () => {
    const sut = deterministicEventId('journey', 'ws_1', 'trg_1', 'delivery:abc');
    expect(sut).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('journey', 'ws_1', 'trg_1', 'delivery:abc')).toBe(sut);
    expect(deterministicEventId('journey', 'ws_1', 'trg_2', 'delivery:abc')).not.toBe(sut);
    expect(deterministicEventId('mapped', 'ws_1', 'trg_1', 'delivery:abc')).not.toBe(sut);
  });

  it('does not confuse parts that concatenate to the same text', () => {
    expect(deterministicEventId('n', 'ab', 'c')).not.toBe(deterministicEventId('n', 'a', 'bc'));
  });
});
