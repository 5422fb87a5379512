// @hookline/mapping-rules: the mapping definition format, its validator and compiler, the
// transforms, identifier normalisation and the catalogue of standard variable sets. Pure: no I/O.
export {
  UNIQUE_ID_TYPES,
  VARIABLE_TYPES,
  TRANSFORM_OPS,
  CONDITION_OPS,
  type UniqueIdType,
  type VariableType,
  type Transform,
  type TransformOp,
  type Condition,
  type ConditionOp,
  type LeafCondition,
  type VariableDefinition,
  type UniqueIdDefinition,
  type ProductsSetDefinition,
  type VariableSetsDefinition,
  type MappingDefinition,
  type MappingInput,
} from './lib/mapping-definition';
export { MAPPING_DEFINITION_SCHEMA, VARIABLE_NAME_PATTERN, RESERVED_VARIABLE_NAMES, MAX_VARIABLES, MAX_PATH_LENGTH } from './lib/mapping-definition.schema';
export {
  MappingRulesError,
  MappingRulesErrorCode,
  ProblemCode,
  MappingErrorCode,
  type Problem,
} from './lib/mapping-rules.exception';
export { validateMapping, MAX_FILTER_DEPTH, type ValidateOptions, type ValidationResult } from './lib/validate-mapping';
export { compileMapping, type CompiledMapping, type MappingResult, type MappingRunError } from './lib/compile-mapping';
export { normalizeIdentifier, normalizeEmail, normalizePhone, type NormalizeResult } from './lib/normalize-identifier';
export { coerceValue, type CoerceResult } from './lib/coerce';
export {
  VARIABLE_SETS,
  VARIABLE_SET_NAMES,
  type VariableSetName,
  type VariableSetField,
  type VariableSetDescription,
} from './lib/variable-sets';
export { resolveAllVariables, baseVariableName, type CatalogVariable } from './lib/all-variables';
export { looseEquals } from './lib/filter';
export { pathsUsed } from './lib/paths-used';
