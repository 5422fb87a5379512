// The one exception type of this library, and the codes of every problem and run error it reports.

/** A problem in a mapping definition; `pointer` is a JSON pointer into the definition. */
export interface Problem {
  pointer: string;
  code: string;
  message: string;
}

export enum MappingRulesErrorCode {
  /** compileMapping was given a definition that does not validate; `problems` lists why. */
  MappingInvalid = 'MAPPING_INVALID',
}

/** Codes of validation problems (errors and warnings) from validateMapping. */
export const ProblemCode = {
  /** A required field is absent. */
  MissingField: 'MISSING_FIELD',
  /** A field the format does not know. */
  UnknownField: 'UNKNOWN_FIELD',
  WrongType: 'WRONG_TYPE',
  /** A value outside an enumeration (type names, ops, ...). */
  NotAllowed: 'NOT_ALLOWED',
  /** Too short/long, too few/many items, or out of range. */
  OutOfBounds: 'OUT_OF_BOUNDS',
  /** A string that does not match its pattern (variable names, country codes). */
  BadFormat: 'BAD_FORMAT',
  /** Any other schema violation. */
  Invalid: 'INVALID',
  PathSyntax: 'PATH_SYNTAX',
  /** A path that must select one value contains `[]`. */
  PathFansOut: 'PATH_FANS_OUT',
  /** `variableSets.products.from` does not end in `[]` (or is not a body path). */
  ProductsFromNotArray: 'PRODUCTS_FROM_NOT_ARRAY',
  UnknownVariableSetField: 'UNKNOWN_VARIABLE_SET_FIELD',
  DuplicateVariableName: 'DUPLICATE_VARIABLE_NAME',
  UnknownCountry: 'UNKNOWN_COUNTRY',
  /** A variable's `default` cannot be coerced to its `type`. */
  DefaultInvalid: 'DEFAULT_INVALID',
  TemplateSyntax: 'TEMPLATE_SYNTAX',
  FilterTooDeep: 'FILTER_TOO_DEEP',
  /** Warning: the path is not in the trigger's variable catalog. */
  UnknownPath: 'UNKNOWN_PATH',
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

/** Codes of errors a compiled mapping returns for one event (never thrown). */
export const MappingErrorCode = {
  UniqueIdMissing: 'UNIQUE_ID_MISSING',
  UniqueIdInvalid: 'UNIQUE_ID_INVALID',
  VariableCoercion: 'VARIABLE_COERCION',
  TransformFailed: 'TRANSFORM_FAILED',
  /** A bug, not a data problem: reported instead of thrown so one event cannot poison a partition. */
  Internal: 'MAPPING_INTERNAL',
} as const;
export type MappingErrorCode = (typeof MappingErrorCode)[keyof typeof MappingErrorCode];

export class MappingRulesError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly problems?: Problem[],
  ) {
    super(message);
    this.name = 'MappingRulesError';
  }
}
