import { allowListedHeaders, deliveryIdOf } from './request-headers';

describe('allowListedHeaders', () => {
  it('keeps provider headers and drops credentials and signatures', () => {
    const sut = allowListedHeaders({
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Hmac-Sha256': 'abc',
      authorization: 'Bearer x',
      'stripe-signature': 't=1,v1=2',
      cookie: 'a=b',
      'content-type': 'application/json',
      host: 'example.com',
    });
    expect(sut).toEqual({ 'x-shopify-topic': 'orders/create', 'content-type': 'application/json' });
  });

  it('decides the same for a name however often it comes, past the names it remembers', () => {
    const many = Object.fromEntries(Array.from({ length: 1_500 }, (_, i) => [`x-custom-${i}`, 'v']));
    for (let round = 0; round < 3; round++) {
      allowListedHeaders(many);
      expect(allowListedHeaders({ 'X-Api-Key': 'k', 'X-Event': 'e' })).toEqual({ 'x-event': 'e' });
    }
  });

  it("drops a generic HMAC trigger's own signature header, whatever its name", () => {
    expect(allowListedHeaders({ 'x-acme-mac': 'abc', 'x-acme-event': 'order' }, ['x-acme-mac'])).toEqual({ 'x-acme-event': 'order' });
  });
});

describe('deliveryIdOf', () => {
  it('finds the provider delivery id, qualified by its header', () => {
    expect(deliveryIdOf({ 'x-shopify-webhook-id': 'b54557e4' })).toBe('x-shopify-webhook-id:b54557e4');
    expect(deliveryIdOf({ 'webhook-id': 'msg_1', 'idempotency-key': 'k' })).toBe('webhook-id:msg_1');
    expect(deliveryIdOf({ 'content-type': 'application/json' })).toBeNull();
  });
});
