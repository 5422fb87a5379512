import Ajv from 'ajv';
import { addSample, catalogOf, emptyProfile } from '@hookline/payload';
import { API_EXAMPLE_DEFINITION, clone, loadPayload } from '../test/fixtures';
import { MAPPING_DEFINITION_SCHEMA } from './mapping-definition.schema';
import { compileMapping } from './compile-mapping';
import { MappingRulesError } from './mapping-rules.exception';
import { validateMapping } from './validate-mapping';

const codes = (problems: Array<{ pointer: string; code: string }>) => problems.map((p) => `${p.pointer} ${p.code}`);

describe('validateMapping', () => {
  it('accepts the example definition of API.md with no errors and no warnings', () => {
    const sut = validateMapping(API_EXAMPLE_DEFINITION);
    expect(sut).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('accepts a minimal definition and variables: "all"', () => {
    expect(validateMapping({ uniqueId: { type: 'email', path: 'email' } }).valid).toBe(true);
    expect(validateMapping({ uniqueId: { type: 'email', path: 'email' }, variables: 'all' }).valid).toBe(true);
  });

  it('reports every problem of a broken definition at once, each with its JSON pointer', () => {
    const broken = {
      uniqueId: { type: 'fax', path: 'customer.', defaultCountry: 'India' },
      variables: [
        { name: 'total', path: 'total_price', type: 'money' },
        { name: 'total', path: 'a..b' },
        { name: '1bad', path: 'x', extra: 1 },
        { path: 'y' },
        {
          name: 'amount',
          path: 'amount',
          type: 'number',
          default: 'lots',
          transform: [{ op: 'scale' }, { op: 'template', template: '{{first_name' }, { op: 'shout' }],
        },
      ],
      variableSets: {
        order: { totalPrice: 'total_price', colour: 'x' },
        products: { from: 'line_items', fields: { name: 'title', shoeSize: 'size' } },
        loyalty: {},
      },
      filter: {
        all: [
          { path: 'a', op: 'between', value: 1 },
          { path: 'b', op: 'in', value: 'paid' },
          { path: 'c', op: 'gt', value: 'ten' },
          { any: [] },
          { path: 'd', op: 'eq' },
        ],
      },
      dedupeKey: { path: 'line_items[].id' },
      extra: true,
    };
    const sut = validateMapping(broken);
    expect(sut.valid).toBe(false);
    expect(codes(sut.errors)).toEqual([
      '/dedupeKey/path PATH_FANS_OUT',
      '/extra UNKNOWN_FIELD',
      '/filter/all/0/op NOT_ALLOWED',
      '/filter/all/1/value WRONG_TYPE',
      '/filter/all/2/value BAD_FORMAT',
      '/filter/all/3/any OUT_OF_BOUNDS',
      '/filter/all/4/value MISSING_FIELD',
      '/uniqueId/defaultCountry BAD_FORMAT',
      '/uniqueId/path PATH_SYNTAX',
      '/uniqueId/type NOT_ALLOWED',
      '/variableSets/loyalty UNKNOWN_FIELD',
      '/variableSets/order/colour UNKNOWN_VARIABLE_SET_FIELD',
      '/variableSets/products/fields/shoeSize UNKNOWN_VARIABLE_SET_FIELD',
      '/variableSets/products/from PRODUCTS_FROM_NOT_ARRAY',
      '/variables/0/type NOT_ALLOWED',
      '/variables/1/name DUPLICATE_VARIABLE_NAME',
      '/variables/1/path PATH_SYNTAX',
      '/variables/2/extra UNKNOWN_FIELD',
      '/variables/2/name BAD_FORMAT',
      '/variables/3/name MISSING_FIELD',
      '/variables/4/default DEFAULT_INVALID',
      '/variables/4/transform/0/factor MISSING_FIELD',
      '/variables/4/transform/1/template TEMPLATE_SYNTAX',
      '/variables/4/transform/2/op NOT_ALLOWED',
    ]);
    expect(sut.warnings).toEqual([]);
    // Messages name the place in words, and carry the reason.
    const byPointer = new Map(sut.errors.map((p) => [p.pointer, p.message]));
    expect(byPointer.get('/uniqueId/path')).toMatch(/^uniqueId\.path: .*position 9/);
    expect(byPointer.get('/variables/1/name')).toContain('"total" is already the name of /variables/0');
    expect(byPointer.get('/variableSets/order/colour')).toMatch(/not a field of the order variable set .*totalPrice/);
  });

  it('orders problems by array index numerically', () => {
    const variables = Array.from({ length: 12 }, (_, i) => ({ name: `v${i}`, path: i % 5 === 0 ? 'bad..path' : 'ok' }));
    const sut = validateMapping({ uniqueId: { type: 'email', path: 'email' }, variables });
    expect(sut.errors.map((p) => p.pointer)).toEqual(['/variables/0/path', '/variables/5/path', '/variables/10/path']);
  });

  it.each([null, 42, 'mapping', [], {}])('never throws on garbage (%p) and says what is wrong', (garbage) => {
    const sut = validateMapping(garbage);
    expect(sut.valid).toBe(false);
    expect(sut.errors.length).toBeGreaterThan(0);
    expect(sut.errors[0]!.pointer).toMatch(/^(\/uniqueId)?$/);
  });

  it('rejects a variables value that is neither "all" nor an array', () => {
    expect(codes(validateMapping({ uniqueId: { type: 'email', path: 'email' }, variables: 'some' }).errors)).toEqual(['/variables NOT_ALLOWED']);
    expect(codes(validateMapping({ uniqueId: { type: 'email', path: 'email' }, variables: 3 }).errors)).toEqual(['/variables WRONG_TYPE']);
  });

  it('rejects unique-id fallbacks that fan out, and an unknown country', () => {
    const sut = validateMapping({
      uniqueId: { type: 'phone', path: 'phone', fallbacks: ['ok.phone', 'line_items[].phone'], defaultCountry: 'ZZ' },
      variables: [{ name: 'p', path: 'p', type: 'phone', defaultCountry: 'XX' }],
    });
    expect(codes(sut.errors)).toEqual([
      '/uniqueId/defaultCountry UNKNOWN_COUNTRY',
      '/uniqueId/fallbacks/1 PATH_FANS_OUT',
      '/variables/0/defaultCountry UNKNOWN_COUNTRY',
    ]);
  });

  it('checks defaults against the variable type (phones with the mapping country)', () => {
    const base = { uniqueId: { type: 'email', path: 'email', defaultCountry: 'IN' } };
    const ok = validateMapping({
      ...base,
      variables: [
        { name: 'a', path: 'a', type: 'number', default: '0.00' },
        { name: 'b', path: 'b', type: 'phone', default: '98765 43210' },
        { name: 'c', path: 'c', type: 'boolean', default: null },
        { name: 'd', path: 'd', default: { any: ['thing'] } },
      ],
    });
    expect(ok.errors).toEqual([]);
    const bad = validateMapping({
      ...base,
      variables: [
        { name: 'a', path: 'a', type: 'integer', default: 1.5 },
        { name: 'b', path: 'b', type: 'url', default: 'javascript:alert(1)' },
        { name: 'c', path: 'c', type: 'email', default: 'nobody' },
      ],
    });
    expect(codes(bad.errors)).toEqual(['/variables/0/default DEFAULT_INVALID', '/variables/1/default DEFAULT_INVALID', '/variables/2/default DEFAULT_INVALID']);
  });

  it('checks transform parameters and template placeholders', () => {
    const sut = validateMapping({
      uniqueId: { type: 'email', path: 'email' },
      variables: [
        { name: 'a', path: 'a', transform: { op: 'scale', factor: '0.01' } },
        { name: 'b', path: 'b', transform: { op: 'trim', extra: true } },
        { name: 'c', path: 'c', transform: { op: 'template', template: 'Hi {{}} and {{a..b}}' } },
        { name: 'd', path: 'd', transform: { op: 'default' } },
        { name: 'e', path: 'e', transform: [] },
        { name: 'f', path: 'f', transform: { op: 'template', template: '{{ first_name }} {{last_name}}' } },
      ],
    });
    expect(codes(sut.errors)).toEqual([
      '/variables/0/transform/factor WRONG_TYPE',
      '/variables/1/transform/extra UNKNOWN_FIELD',
      '/variables/2/transform/template TEMPLATE_SYNTAX',
      '/variables/2/transform/template PATH_SYNTAX',
      '/variables/3/transform/value MISSING_FIELD',
      '/variables/4/transform OUT_OF_BOUNDS',
    ]);
  });

  it('limits filter nesting', () => {
    let filter: unknown = { path: 'a', op: 'exists' };
    for (let i = 0; i < 9; i++) filter = { any: [filter] };
    const sut = validateMapping({ uniqueId: { type: 'email', path: 'email' }, filter });
    expect(codes(sut.errors)).toEqual([`/filter${'/any/0'.repeat(8)} FILTER_TOO_DEEP`]);
    let shallow: unknown = { path: 'a', op: 'exists' };
    for (let i = 0; i < 7; i++) shallow = { all: [shallow] };
    expect(validateMapping({ uniqueId: { type: 'email', path: 'email' }, filter: shallow }).errors).toEqual([]);
  });

  it('accepts every filter op with a value of the right kind', () => {
    const sut = validateMapping({
      uniqueId: { type: 'email', path: 'email' },
      filter: {
        any: [
          { path: 'a', op: 'eq', value: null },
          { path: 'a', op: 'neq', value: 'x' },
          { path: 'a', op: 'in', value: ['x', 1] },
          { path: 'a', op: 'exists' },
          { path: 'a', op: 'exists', value: false },
          { path: 'a', op: 'gt', value: 1 },
          { path: 'a', op: 'gte', value: '1.5' },
          { path: 'a', op: 'lt', value: -2 },
          { path: 'a', op: 'lte', value: ' 1e3 ' },
          { all: [{ path: '$headers.x-shopify-topic', op: 'eq', value: 'orders/create' }] },
        ],
      },
    });
    expect(sut.errors).toEqual([]);
    const bad = validateMapping({ uniqueId: { type: 'email', path: 'email' }, filter: { path: 'a', op: 'exists', value: 'yes' } });
    expect(codes(bad.errors)).toEqual(['/filter/value WRONG_TYPE']);
  });

  describe('unknown-path warnings', () => {
    const knownPaths = ['email', 'customer', 'customer.email', 'line_items', 'line_items[]', 'line_items[].title', 'line_items[].price', 'total_price', 'first_name'];
    const definition = {
      uniqueId: { type: 'email', path: 'customer.emial', fallbacks: ['email'] },
      variables: [
        { name: 'total', path: 'total_price' },
        { name: 'first', path: 'line_items[0].title' },
        { name: 'topic', path: '$headers.x-shopify-topic' },
        { name: 'q', path: '$query.ref' },
        { name: 'items', path: 'line_items' },
        { name: 'greeting', path: 'total_price', transform: { op: 'template', template: '{{first_name}} {{last_nmae}}' } },
      ],
      variableSets: {
        order: { totalPrice: 'total_price', currency: 'currency' },
        products: { from: 'line_items[]', fields: { name: 'title', sku: 'sku' } },
      },
      filter: { path: 'financial_status', op: 'eq', value: 'paid' },
      dedupeKey: { path: 'id' },
    };

    it('warns (without failing) for each body path the catalog does not have', () => {
      const sut = validateMapping(definition, { knownPaths });
      expect(sut.valid).toBe(true);
      expect(codes(sut.warnings)).toEqual([
        '/dedupeKey/path UNKNOWN_PATH',
        '/filter/path UNKNOWN_PATH',
        '/uniqueId/path UNKNOWN_PATH',
        '/variableSets/order/currency UNKNOWN_PATH',
        '/variableSets/products/fields/sku UNKNOWN_PATH',
        '/variables/5/transform/template UNKNOWN_PATH',
      ]);
      expect(sut.warnings.find((w) => w.pointer === '/variableSets/products/fields/sku')!.message).toContain('line_items[].sku');
      expect(sut.warnings.find((w) => w.pointer === '/variables/5/transform/template')!.message).toContain('last_nmae');
    });

    it('does not warn without knownPaths', () => {
      expect(validateMapping(definition).warnings).toEqual([]);
    });

    it('works with the catalog the payload library builds from a real sample', () => {
      const catalog = catalogOf(addSample(emptyProfile(), loadPayload('shopify__orders_create.json')));
      const paths = catalog.variables.map((v) => v.path);
      const sut = validateMapping(API_EXAMPLE_DEFINITION, { knownPaths: paths });
      expect(sut.warnings).toEqual([]);
      const typo = clone(API_EXAMPLE_DEFINITION) as unknown as { variables: Array<{ path: string }> };
      typo.variables[0]!.path = 'total_prize';
      expect(codes(validateMapping(typo, { knownPaths: paths }).warnings)).toEqual(['/variables/0/path UNKNOWN_PATH']);
    });
  });

  it('publishes a schema that a plain Ajv (draft-07) compiles and that agrees on structure', () => {
    const validate = new Ajv({ allErrors: true }).compile(MAPPING_DEFINITION_SCHEMA);
    expect(validate(API_EXAMPLE_DEFINITION)).toBe(true);
    expect(validate({ uniqueId: { type: 'email', path: 'email' }, variableSets: { order: { colour: 'x' } } })).toBe(false);
    expect(validate({ uniqueId: { type: 'email' } })).toBe(false);
    expect(Object.isFrozen(MAPPING_DEFINITION_SCHEMA)).toBe(true);
  });

  it('is what compileMapping enforces: MAPPING_INVALID with the same problems', () => {
    const broken = { uniqueId: { type: 'email', path: 'a..b' }, variables: [{ name: 'x' }] };
    let thrown: unknown;
    try {
      compileMapping(broken as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MappingRulesError);
    const error = thrown as MappingRulesError;
    expect(error.code).toBe('MAPPING_INVALID');
    expect(error.problems).toEqual(validateMapping(broken).errors);
    expect(codes(error.problems!)).toEqual(['/uniqueId/path PATH_SYNTAX', '/variables/0/path MISSING_FIELD']);
    expect(error.message).toContain('2 problems');
  });
});
