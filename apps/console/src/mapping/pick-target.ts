import type { PickerVariable } from '@hookline/contracts';
import { fansOut, firstElementPath, relativeTo } from '../lib/paths';
import { isArray, isContainer } from './variable-tree';

/**
 * A form field waiting for a path from the tree. `value`: a path to one value (unique id,
 * fallbacks, the order, customer and shopify sets); `array`: an array whose elements become
 * products; `element`: a path inside the products' array, relative to its element.
 */
export type PickTarget = {
  /** The field's JSON pointer in the definition; its input gets the focus back. */
  pointer: string;
  /** How the tree's buttons name the field: "order.totalPrice". */
  label: string;
} & ({ accepts: 'value' } | { accepts: 'array' } | { accepts: 'element'; from: string });

/** The path a tree node gives the target, or null when the node does not fit it. */
export function pickedValue(target: PickTarget, variable: PickerVariable): string | null {
  switch (target.accepts) {
    case 'value':
      return isContainer(variable) ? null : firstElementPath(variable.path);
    case 'array':
      return isArray(variable) && !variable.path.endsWith('[]') ? `${variable.path}[]` : null;
    case 'element': {
      if (isContainer(variable)) return null;
      const relative = relativeTo(target.from, variable.path);
      // A path inside a nested array would fan out again: products take one value per field.
      return relative === null || fansOut(relative) ? null : relative;
    }
  }
}
