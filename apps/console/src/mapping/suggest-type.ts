import type { PickerVariable } from '@hookline/contracts';
import type { VariableType } from '@hookline/mapping-rules';

/**
 * The type offered for a newly picked variable: what its role says (a price is a number even
 * when the payload sends "404.95"), else what the samples carried. The user may change it.
 */
export function suggestType(variable: PickerVariable): VariableType | '' {
  const roles = variable.roles;
  if (roles.includes('price')) return 'number';
  if (roles.includes('quantity')) return 'integer';
  if (roles.includes('date')) return 'datetime';
  if (roles.includes('email')) return 'email';
  if (roles.includes('phone')) return 'phone';
  if (roles.some((r) => r === 'url' || r === 'product_url' || r === 'image_url')) return 'url';
  const types = variable.types.filter((t) => t !== 'null');
  if (types.length !== 1) return '';
  switch (types[0]) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    // Ids beyond 2^53 arrive as strings with every digit: keep them text.
    case 'integer':
      return typeof variable.example === 'number' ? 'integer' : 'string';
    case 'object':
    case 'array':
      return 'json';
    case 'string':
      if (variable.formats?.includes('email')) return 'email';
      if (variable.formats?.includes('date-time')) return 'datetime';
      return 'string';
    default:
      return '';
  }
}
