import { compareDecimals, decimalToJs, isNumericText, numberToText, parseDecimalText, toDecimal } from './decimal';

describe('decimal', () => {
  it('recognises numeric text', () => {
    for (const ok of ['0', '-1', '+2.50', '.5', '5.', '1e3', '1E-3', ' 42 ']) expect(isNumericText(ok)).toBe(true);
    for (const bad of ['', '.', '-', 'e3', '1,000', '0x1f', 'NaN', 'Infinity', '1 000', '1e']) expect(isNumericText(bad)).toBe(false);
  });

  it('refuses absurd exponents instead of building giant integers', () => {
    expect(parseDecimalText('1e999999999')).toBeNull();
    expect(parseDecimalText('1e400')).not.toBeNull();
  });

  it('compares exactly where doubles cannot', () => {
    const a = toDecimal(820982911946154508n)!;
    const b = toDecimal('820982911946154509')!;
    expect(compareDecimals(a, b)).toBe(-1);
    expect(compareDecimals(toDecimal('199.00')!, toDecimal(199)!)).toBe(0);
    expect(compareDecimals(toDecimal('-0.1')!, toDecimal('-0.10')!)).toBe(0);
    expect(compareDecimals(toDecimal(0.3)!, toDecimal('0.29999')!)).toBe(1);
  });

  it('turns decimals into the nearest JS value, bigint for unsafe integers', () => {
    expect(decimalToJs({ digits: 1999n, exponent: -2 })).toBe(19.99);
    expect(decimalToJs({ digits: 19900n, exponent: -2 })).toBe(199);
    expect(decimalToJs({ digits: 9007199254740993n, exponent: 0 })).toBe(9007199254740993n);
    expect(decimalToJs({ digits: 5n, exponent: 20 })).toBe(500000000000000000000n);
  });

  it('writes integers without exponent', () => {
    expect(numberToText(1e21)).toBe('1000000000000000000000');
    expect(numberToText(12.5)).toBe('12.5');
    expect(toDecimal(true)).toBeNull();
    expect(toDecimal(Number.NaN)).toBeNull();
  });
});
