import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { PICKER } from '../test/picker-fixture';
import type { PickTarget } from './pick-target';
import { VariableTree, type VariableTreeProps } from './variable-tree-view';

function renderTree(props: Partial<VariableTreeProps> = {}) {
  const all: VariableTreeProps = {
    picker: PICKER,
    picked: new Set(),
    allVariables: false,
    onToggle: vi.fn(),
    target: null,
    onUse: vi.fn(),
    onCancelPick: vi.fn(),
    uniqueIdPath: '',
    ...props,
  };
  return { ...render(<VariableTree {...all} />), props: all };
}

/** The row of a path: the element holding its checkbox or disclosure and its details. */
function row(path: string): HTMLElement {
  const control = screen.queryByRole('checkbox', { name: `Pick ${path} as a variable` }) ?? screen.getByRole('button', { name: new RegExp(`^(Expand|Collapse) ${path.replace(/[[\]]/g, '\\$&')}$`) });
  return control.closest('.node') as HTMLElement;
}

describe('the variable tree', () => {
  it('shows each path with its types, presence, example and roles', () => {
    renderTree();
    expect(screen.getByRole('heading', { name: 'Variables from 29 samples' })).toBeInTheDocument();
    const total = row('total_price');
    expect(within(total).getByText('string')).toBeInTheDocument();
    expect(within(total).getByText('present in 23 of 29 samples')).toBeInTheDocument();
    expect(within(total).getByText('e.g. "404.95"')).toBeInTheDocument();
    expect(within(total).getByText('price')).toBeInTheDocument();
    expect(within(total).getByText('mapped')).toBeInTheDocument();
    expect(within(total).getByText('not in the latest sample')).toBeInTheDocument();
    expect(within(row('customer')).queryByText(/e\.g\./)).toBeNull();
  });

  it('describes each checkbox with its row details, for a screen reader', () => {
    renderTree();
    expect(screen.getByRole('checkbox', { name: 'Pick email as a variable' })).toHaveAccessibleDescription(/string present in 29 of 29 samples e\.g\. "jon@example\.com" email/);
  });

  it('opens and closes nested objects with their disclosure button', async () => {
    const user = userEvent.setup();
    renderTree();
    expect(screen.queryByRole('checkbox', { name: 'Pick customer.email as a variable' })).toBeNull();
    const expand = screen.getByRole('button', { name: 'Expand customer' });
    expect(expand).toHaveAttribute('aria-expanded', 'false');
    await user.click(expand);
    expect(screen.getByRole('button', { name: 'Collapse customer' })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('checkbox', { name: 'Pick customer.email as a variable' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Collapse customer' }));
    expect(screen.queryByRole('checkbox', { name: 'Pick customer.email as a variable' })).toBeNull();
  });

  it('ticks variables, and shows picked ones checked (a path inside an array as its first item)', async () => {
    const user = userEvent.setup();
    const { props } = renderTree({ picked: new Set(['line_items[0].title']) });
    await user.click(screen.getByRole('checkbox', { name: 'Pick total_price as a variable' }));
    expect(props.onToggle).toHaveBeenCalledWith(expect.objectContaining({ path: 'total_price' }), true);
    await user.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(screen.getByRole('checkbox', { name: 'Pick line_items[].title as a variable' })).toBeChecked();
    expect(screen.queryByRole('checkbox', { name: 'Pick line_items[] as a variable' })).toBeNull();
  });

  it('disables the ticks when every variable is taken ("all")', () => {
    renderTree({ allVariables: true });
    const box = screen.getByRole('checkbox', { name: 'Pick email as a variable' });
    expect(box).toBeChecked();
    expect(box).toBeDisabled();
  });

  it('filters paths and keeps the matches in place', async () => {
    const user = userEvent.setup();
    renderTree();
    await user.type(screen.getByLabelText('Filter paths'), 'quantity');
    expect(screen.getByRole('checkbox', { name: 'Pick line_items[].quantity as a variable' })).toBeInTheDocument();
    expect(screen.queryByRole('checkbox', { name: 'Pick email as a variable' })).toBeNull();
  });

  it('offers "Use" on the nodes that fit the field being picked', async () => {
    const user = userEvent.setup();
    const target: PickTarget = { pointer: '/variableSets/products/fields/price', label: 'products.price', accepts: 'element', from: 'line_items[]' };
    const { props } = renderTree({ target });
    expect(screen.getByRole('status')).toHaveTextContent('Choose a path for products.price');
    // The products' array opens by itself; only paths inside its elements fit.
    expect(screen.queryByRole('button', { name: 'Use email for products.price' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Use line_items[].price for products.price' }));
    expect(props.onUse).toHaveBeenCalledWith(target, 'price', expect.objectContaining({ path: 'line_items[].price' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(props.onCancelPick).toHaveBeenCalled();
  });

  it('offers arrays for the products and single values elsewhere', async () => {
    const user = userEvent.setup();
    const arrays = renderTree({ target: { pointer: '/variableSets/products/from', label: 'products', accepts: 'array' } });
    await user.click(screen.getByRole('button', { name: 'Use line_items for products' }));
    expect(arrays.props.onUse).toHaveBeenCalledWith(expect.anything(), 'line_items[]', expect.objectContaining({ path: 'line_items' }));
    expect(screen.queryByRole('button', { name: 'Use email for products' })).toBeNull();
    arrays.unmount();

    const values = renderTree({ target: { pointer: '/uniqueId/path', label: 'the unique id', accepts: 'value' } });
    await user.click(screen.getByRole('button', { name: 'Use email for the unique id' }));
    expect(values.props.onUse).toHaveBeenCalledWith(expect.anything(), 'email', expect.objectContaining({ path: 'email' }));
    expect(screen.queryByRole('button', { name: 'Use customer for the unique id' })).toBeNull();
  });

  it('marks the path chosen as the unique id', () => {
    renderTree({ uniqueIdPath: 'email' });
    expect(within(row('email')).getByText('unique id')).toBeInTheDocument();
    expect(within(row('id')).queryByText('unique id')).toBeNull();
  });

  it('says so when no sample has arrived', () => {
    renderTree({ picker: { sampleCount: 0, schema: {}, variables: [], alerts: [] } });
    expect(screen.getByText(/No samples yet/)).toBeInTheDocument();
  });
});
