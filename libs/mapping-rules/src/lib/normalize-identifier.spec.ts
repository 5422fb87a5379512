import { normalizeIdentifier } from './normalize-identifier';

const value = (r: ReturnType<typeof normalizeIdentifier>) => (r.ok ? r.value : `invalid: ${r.reason}`);

describe('normalizeIdentifier: phone', () => {
  it.each([
    ['9876543210', 'IN', '+919876543210'],
    ['98765 43210', 'IN', '+919876543210'],
    ['098765-43210', 'IN', '+919876543210'],
    ['+91 98765 43210', 'IN', '+919876543210'],
    ['+91 98765 43210', undefined, '+919876543210'],
    ['919876543210', 'IN', '+919876543210'],
    ['00919876543210', undefined, '+919876543210'],
    ['+14155552671', undefined, '+14155552671'],
    ['+14155552671', 'IN', '+14155552671'], // already E.164: the default country does not matter
    ['(415) 555-2671', 'US', '+14155552671'],
    ['16315551181', undefined, '+16315551181'], // WhatsApp's `from`: country code without "+"
    ['07911 123456', 'GB', '+447911123456'],
  ])('%s with %s → %s', (raw, country, expected) => {
    expect(value(normalizeIdentifier('phone', raw, { defaultCountry: country }))).toBe(expected);
  });

  it('accepts a number (some forms send digits as numbers) and a bigint', () => {
    expect(value(normalizeIdentifier('phone', 9876543210, { defaultCountry: 'IN' }))).toBe('+919876543210');
    expect(value(normalizeIdentifier('phone', 919876543210n))).toBe('+919876543210');
  });

  it.each([
    ['12345', 'IN'],
    ['555-555-SHIP', 'US'],
    ['123-123-1234', 'CA'],
    ['+91 12', undefined],
    ['not a phone', 'IN'],
    ['', 'IN'],
    ['9876543210', undefined], // national number, no country: refuse rather than guess (+98 is Iran)
  ])('%s with %s is invalid', (raw, country) => {
    const r = normalizeIdentifier('phone', raw, { defaultCountry: country });
    expect(r.ok).toBe(false);
  });

  it('says a national number needs a country', () => {
    const r = normalizeIdentifier('phone', '9876543210');
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('defaultCountry') });
  });

  it('rejects non-strings and unknown countries', () => {
    expect(normalizeIdentifier('phone', { n: 1 }).ok).toBe(false);
    expect(normalizeIdentifier('phone', true).ok).toBe(false);
    expect(normalizeIdentifier('phone', '9876543210', { defaultCountry: 'ZZ' })).toEqual({ ok: false, reason: expect.stringContaining('ZZ') });
  });
});

describe('normalizeIdentifier: email', () => {
  it.each([
    ['jon@example.com', 'jon@example.com'],
    ['  Jon.Smith+tag@Example.COM \n', 'jon.smith+tag@example.com'],
    ['user@mail.example.co.in', 'user@mail.example.co.in'],
    ['ünï@bücher.de', 'ünï@bücher.de'],
    ['a@xn--bcher-kva.de', 'a@xn--bcher-kva.de'],
  ])('%j → %s', (raw, expected) => {
    expect(value(normalizeIdentifier('email', raw))).toBe(expected);
  });

  it.each(['', 'jon', 'jon@', '@example.com', 'jon@example', 'jon@@example.com', 'a@b@example.com', 'jon doe@example.com', 'jon@example..com', 'jon@-example.com', 'jon@example.c', '.jon@example.com', 'jon..x@example.com', 'Jon <jon@example.com>'])(
    '%j is invalid',
    (raw) => {
      expect(normalizeIdentifier('email', raw).ok).toBe(false);
    },
  );

  it('rejects non-strings', () => {
    expect(normalizeIdentifier('email', 42)).toEqual({ ok: false, reason: 'an email must be a string, got a number' });
    expect(normalizeIdentifier('email', null).ok).toBe(false);
  });
});

describe('normalizeIdentifier: ids', () => {
  it('keeps every digit of a bigint and writes safe integers without exponent', () => {
    expect(value(normalizeIdentifier('order_id', 820982911946154508n))).toBe('820982911946154508');
    expect(value(normalizeIdentifier('external_id', 18446744073709551615n))).toBe('18446744073709551615');
    expect(value(normalizeIdentifier('order_id', 9007199254740991))).toBe('9007199254740991');
    expect(value(normalizeIdentifier('order_id', 1234))).toBe('1234');
  });

  it('refuses integers that arrived as lossy numbers, fractions and negatives', () => {
    expect(normalizeIdentifier('order_id', 820982911946154500)).toEqual({ ok: false, reason: expect.stringContaining('2^53') });
    expect(normalizeIdentifier('order_id', 1e21).ok).toBe(false);
    expect(normalizeIdentifier('order_id', 12.5).ok).toBe(false);
    expect(normalizeIdentifier('external_id', -3).ok).toBe(false);
  });

  it('trims string ids and keeps them otherwise exact', () => {
    expect(value(normalizeIdentifier('order_id', '  pi_3MtwBwLkdIwHu7ix28a3tqPa '))).toBe('pi_3MtwBwLkdIwHu7ix28a3tqPa');
    expect(value(normalizeIdentifier('external_id', 'CRM-0042'))).toBe('CRM-0042');
    expect(normalizeIdentifier('external_id', '   ').ok).toBe(false);
    expect(normalizeIdentifier('external_id', 'a\u0000b').ok).toBe(false);
    expect(normalizeIdentifier('external_id', 'x'.repeat(256)).ok).toBe(false);
    expect(normalizeIdentifier('external_id', { id: 1 }).ok).toBe(false);
    expect(normalizeIdentifier('external_id', true).ok).toBe(false);
  });

  it('shopify_customer_id is digits; the gid form is reduced to its digits', () => {
    expect(value(normalizeIdentifier('shopify_customer_id', 115310627314723954n))).toBe('115310627314723954');
    expect(value(normalizeIdentifier('shopify_customer_id', ' 115310627314723954 '))).toBe('115310627314723954');
    expect(value(normalizeIdentifier('shopify_customer_id', 'gid://shopify/Customer/115310627314723954'))).toBe('115310627314723954');
    expect(normalizeIdentifier('shopify_customer_id', 'gid://shopify/Order/1').ok).toBe(false);
    expect(normalizeIdentifier('shopify_customer_id', 'cus_123').ok).toBe(false);
  });

  it('order_name is a trimmed string (or an integer as digits)', () => {
    expect(value(normalizeIdentifier('order_name', ' #1001 '))).toBe('#1001');
    expect(value(normalizeIdentifier('order_name', 1001))).toBe('1001');
    expect(normalizeIdentifier('order_name', '').ok).toBe(false);
  });
});
