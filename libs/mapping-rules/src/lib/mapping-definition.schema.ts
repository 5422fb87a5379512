// JSON Schema (draft-07) of the mapping definition. Structure only: path syntax, variable
// names being unique, countries, defaults and templates are checked by validateMapping.
import { CONDITION_OPS, TRANSFORM_OPS, UNIQUE_ID_TYPES, VARIABLE_TYPES } from './mapping-definition';
import { deepFreeze } from './object-utils';
import { VARIABLE_SETS, type VariableSetName } from './variable-sets';

/** Names journeys can reference: an identifier, at most 100 characters. */
export const VARIABLE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,99}$';
/** Names that would alter an object's prototype in a careless consumer. */
export const RESERVED_VARIABLE_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];
export const MAX_VARIABLES = 500;
export const MAX_PATH_LENGTH = 1024;

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

const setFields = (set: VariableSetName) => ({
  type: 'object',
  properties: Object.fromEntries(Object.keys(VARIABLE_SETS[set].fields).map((field) => [field, ref('path')])),
  additionalProperties: false,
});

const opIs = (...ops: string[]) => ({ required: ['op'], properties: { op: { enum: ops } } });

export const MAPPING_DEFINITION_SCHEMA: object = deepFreeze({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Hookline mapping definition',
  type: 'object',
  required: ['uniqueId'],
  additionalProperties: false,
  properties: {
    uniqueId: {
      type: 'object',
      required: ['type', 'path'],
      additionalProperties: false,
      properties: {
        type: { enum: [...UNIQUE_ID_TYPES] },
        path: ref('path'),
        fallbacks: { type: 'array', maxItems: 10, items: ref('path') },
        defaultCountry: ref('country'),
      },
    },
    variables: {
      if: { type: 'string' },
      then: { const: 'all' },
      else: { type: 'array', maxItems: MAX_VARIABLES, items: ref('variable') },
    },
    variableSets: {
      type: 'object',
      additionalProperties: false,
      properties: {
        order: setFields('order'),
        customer: setFields('customer'),
        shopify: setFields('shopify'),
        products: {
          type: 'object',
          required: ['from', 'fields'],
          additionalProperties: false,
          properties: { from: ref('path'), fields: setFields('products') },
        },
      },
    },
    filter: ref('condition'),
    dedupeKey: {
      type: 'object',
      required: ['path'],
      additionalProperties: false,
      properties: { path: ref('path') },
    },
  },
  definitions: {
    path: { type: 'string', minLength: 1, maxLength: MAX_PATH_LENGTH },
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
    variable: {
      type: 'object',
      required: ['name', 'path'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: VARIABLE_NAME_PATTERN, not: { enum: [...RESERVED_VARIABLE_NAMES] } },
        path: ref('path'),
        type: { enum: [...VARIABLE_TYPES] },
        default: {},
        transform: {
          if: { type: 'array' },
          then: { type: 'array', minItems: 1, maxItems: 20, items: ref('transform') },
          else: ref('transform'),
        },
        defaultCountry: ref('country'),
      },
    },
    transform: {
      type: 'object',
      required: ['op'],
      properties: { op: { enum: [...TRANSFORM_OPS] } },
      allOf: [
        {
          if: opIs('scale'),
          then: { required: ['factor'], additionalProperties: false, properties: { op: true, factor: { type: 'number' } } },
        },
        {
          if: opIs('trim', 'lowercase', 'uppercase'),
          then: { additionalProperties: false, properties: { op: true } },
        },
        {
          if: opIs('default'),
          then: { required: ['value'], additionalProperties: false, properties: { op: true, value: true } },
        },
        {
          if: opIs('template'),
          then: {
            required: ['template'],
            additionalProperties: false,
            properties: { op: true, template: { type: 'string', minLength: 1, maxLength: 2000 } },
          },
        },
      ],
    },
    condition: {
      type: 'object',
      if: { required: ['all'], properties: { all: true } },
      then: {
        additionalProperties: false,
        properties: { all: { type: 'array', minItems: 1, maxItems: 100, items: ref('condition') } },
      },
      else: {
        if: { required: ['any'], properties: { any: true } },
        then: {
          additionalProperties: false,
          properties: { any: { type: 'array', minItems: 1, maxItems: 100, items: ref('condition') } },
        },
        else: ref('leafCondition'),
      },
    },
    leafCondition: {
      type: 'object',
      required: ['path', 'op'],
      additionalProperties: false,
      properties: { path: ref('path'), op: { enum: [...CONDITION_OPS] }, value: true },
      allOf: [
        { if: opIs('eq', 'neq'), then: { required: ['value'], properties: { value: true } } },
        { if: opIs('in'), then: { required: ['value'], properties: { value: { type: 'array', maxItems: 1000 } } } },
        { if: opIs('exists'), then: { properties: { value: { type: 'boolean' } } } },
        {
          if: opIs('gt', 'gte', 'lt', 'lte'),
          then: {
            required: ['value'],
            properties: {
              value: {
                if: { type: 'string' },
                then: { type: 'string', pattern: '^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$' },
                else: { type: 'number' },
              },
            },
          },
        },
      ],
    },
  },
});
