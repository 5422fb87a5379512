export { isJsonObject, jsonPointer, jsonTypeOf, stringifyLossless, toJsonSafe, type JsonObject, type JsonTypeName, type JsonValue } from './lib/json';
export { PayloadError, type PayloadErrorCode } from './lib/errors';
export { checkBody, DEFAULT_MAX_DEPTH, FORBIDDEN_KEYS, parseBody, type ParseOptions } from './lib/parse-body';
export {
  formatParsedPath,
  formatPath,
  formatSegment,
  parsePath,
  PathSyntaxError,
  selectValue,
  selectValues,
  type ParsedPath,
  type PathInput,
  type PathRoot,
  type PathSegment,
} from './lib/path';
export { detectFormats, STRING_FORMATS, type StringFormat } from './lib/formats';
export {
  addSample,
  emptyProfile,
  MAX_EXAMPLE_LENGTH,
  MAX_PROFILE_DEPTH,
  MAX_PROFILE_KEY_LENGTH,
  MAX_PROFILE_PATHS,
  mergeProfiles,
  PROFILE_VERSION,
  type ExampleValue,
  type ProfileExample,
  type ProfileNode,
  type SchemaProfile,
} from './lib/profile';
export { catalogOf, JSON_SCHEMA_DIALECT, VARIABLE_ROLES, type Variable, type VariableCatalog, type VariableRole } from './lib/catalog';
export { detectDrift, type DriftChange, type DriftKind } from './lib/drift';
export { shapeSignature } from './lib/shape';
