import type { VariableSetView } from '@hookline/contracts';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { PICKER } from '../test/picker-fixture';
import { emptyDraft, type MappingDraft, Problems } from './mapping-draft';
import type { PickTarget } from './pick-target';
import { UniqueIdForm } from './unique-id-form';
import { VariableSetsForm } from './variable-sets-form';
import { VariablesForm } from './variables-form';

const SETS: VariableSetView[] = [
  { name: 'order', description: 'The order.', fields: { id: { type: 'string', description: 'Order id.' }, totalPrice: { type: 'number', description: 'Total charged.' } } },
  { name: 'products', description: 'The products.', fields: { name: { type: 'string', description: 'Product name.' }, price: { type: 'number', description: 'Unit price.' } } },
  { name: 'customer', description: 'The customer.', fields: { email: { type: 'email', description: 'Email.' } } },
];

/** The unique id form with its state, as the editor holds it. */
function UniqueId({ problems = new Problems(), onPick = vi.fn() }: { problems?: Problems; onPick?: (t: PickTarget) => void }) {
  const [value, setValue] = useState(emptyDraft().uniqueId);
  return (
    <>
      <UniqueIdForm value={value} onChange={setValue} variables={PICKER.variables} sampleCount={PICKER.sampleCount} problems={problems} target={null} onPick={onPick} />
      <output data-testid="value">{JSON.stringify(value)}</output>
    </>
  );
}

describe('the unique id form', () => {
  it('offers the role-fitting fields first, and fills type and path from one', async () => {
    const user = userEvent.setup();
    render(<UniqueId />);
    const suggestions = screen.getAllByRole('button', { name: /as the unique id/ }).map((b) => b.getAttribute('aria-label'));
    expect(suggestions.slice(0, 3)).toEqual(['Use email as the unique id (Email)', 'Use customer.email as the unique id (Email)', 'Use customer.phone as the unique id (Phone)']);
    await user.click(screen.getByRole('button', { name: 'Use email as the unique id (Email)' }));
    expect(screen.getByLabelText('Type')).toHaveValue('email');
    expect(screen.getByLabelText('Path')).toHaveValue('email');
    // The other field with the email role is offered as a fallback.
    await user.click(screen.getByRole('button', { name: 'Add customer.email as a fallback' }));
    expect(screen.getByLabelText('Fallback 1')).toHaveValue('customer.email');
    expect(JSON.parse(screen.getByTestId('value').textContent ?? '')).toEqual({ type: 'email', path: 'email', fallbacks: ['customer.email'], defaultCountry: '' });
  });

  it('asks for a default country only for phones', async () => {
    const user = userEvent.setup();
    render(<UniqueId />);
    expect(screen.queryByLabelText(/Default country/)).toBeNull();
    await user.selectOptions(screen.getByLabelText('Type'), 'phone');
    expect(screen.getByLabelText(/Default country/)).toBeInTheDocument();
  });

  it('arms the tree for its path with the Pick button', async () => {
    const user = userEvent.setup();
    const onPick = vi.fn();
    render(<UniqueId onPick={onPick} />);
    await user.click(screen.getByRole('button', { name: 'Pick the unique id in the tree' }));
    expect(onPick).toHaveBeenCalledWith({ pointer: '/uniqueId/path', label: 'the unique id', accepts: 'value' });
  });

  it("shows the API's problems beside the field they concern", () => {
    render(<UniqueId problems={new Problems([{ pointer: '/uniqueId/type', code: 'MISSING_FIELD', message: 'uniqueId.type: is required' }])} />);
    const type = screen.getByLabelText('Type');
    expect(type).toHaveAttribute('aria-invalid', 'true');
    expect(type).toHaveAccessibleDescription('MISSING_FIELD uniqueId.type: is required');
    expect(screen.getByLabelText('Path')).not.toHaveAttribute('aria-invalid');
  });
});

describe('the variables form', () => {
  it('names and types each picked variable, and shows problems on its row', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const problems = new Problems([{ pointer: '/variables/1/name', code: 'BAD_FORMAT', message: 'variables[1].name: must match ^[A-Za-z_]' }]);
    render(
      <VariablesForm
        variables={[
          { path: 'total_price', name: 'totalPrice', type: 'number', rest: {} },
          { path: 'line_items[0].title', name: '1st', type: '', rest: {} },
        ]}
        allVariables={false}
        onChange={onChange}
        onAll={vi.fn()}
        problems={problems}
      />,
    );
    expect(screen.getByLabelText('Name of line_items[0].title')).toHaveAccessibleDescription(/BAD_FORMAT/);
    expect(screen.getByLabelText('Name of total_price')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText('Type of total_price')).toHaveValue('number');
    await user.selectOptions(screen.getByLabelText('Type of line_items[0].title'), 'string');
    expect(onChange).toHaveBeenLastCalledWith([expect.objectContaining({ path: 'total_price' }), expect.objectContaining({ path: 'line_items[0].title', type: 'string' })]);
    await user.click(screen.getByRole('button', { name: 'Remove total_price' }));
    expect(onChange).toHaveBeenLastCalledWith([expect.objectContaining({ path: 'line_items[0].title' })]);
  });

  it('switches to every variable ("all")', async () => {
    const user = userEvent.setup();
    const onAll = vi.fn();
    render(<VariablesForm variables={[]} allVariables={false} onChange={vi.fn()} onAll={onAll} problems={new Problems()} />);
    expect(screen.getByText(/Tick paths in the tree/)).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: /Every variable/ }));
    expect(onAll).toHaveBeenCalledWith(true);
  });
});

describe('the variable sets form', () => {
  function Sets({ problems = new Problems(), onPick = vi.fn() }: { problems?: Problems; onPick?: (t: PickTarget) => void }) {
    const [value, setValue] = useState<MappingDraft['sets']>(emptyDraft().sets);
    return <VariableSetsForm catalog={SETS} value={value} onChange={setValue} problems={problems} target={null} onPick={onPick} />;
  }

  it('lists each set with its fields, their types and meanings; order is open', () => {
    render(<Sets />);
    const order = screen.getByText('order').closest('details') as HTMLDetailsElement;
    expect(order.open).toBe(true);
    expect(within(order).getByText(/0 of 2 fields/)).toBeInTheDocument();
    expect(screen.getByLabelText('totalPrice')).toHaveAccessibleDescription('number Total charged.');
    expect((screen.getByText('customer').closest('details') as HTMLDetailsElement).open).toBe(false);
  });

  it('arms the tree for a field, and counts the fields filled', async () => {
    const user = userEvent.setup();
    const onPick = vi.fn();
    render(<Sets onPick={onPick} />);
    await user.click(screen.getByRole('button', { name: 'Pick order.totalPrice in the tree' }));
    expect(onPick).toHaveBeenCalledWith({ pointer: '/variableSets/order/totalPrice', label: 'order.totalPrice', accepts: 'value' });
    await user.type(screen.getByLabelText('totalPrice'), 'total_price');
    expect(screen.getByText(/1 of 2 fields/)).toBeInTheDocument();
  });

  it('takes products from an array, and their fields inside its items', async () => {
    const user = userEvent.setup();
    const onPick = vi.fn();
    render(<Sets onPick={onPick} />);
    const price = screen.getByLabelText('price');
    expect(price).toBeDisabled();
    await user.click(screen.getByLabelText('From the array'));
    await user.paste('line_items[]');
    expect(price).toBeEnabled();
    await user.click(screen.getByRole('button', { name: 'Pick products.price in the tree' }));
    expect(onPick).toHaveBeenLastCalledWith(expect.objectContaining({ accepts: 'element', from: 'line_items[]' }));
  });

  it('opens a set with problems and shows each beside its field', () => {
    render(<Sets problems={new Problems([{ pointer: '/variableSets/customer/email', code: 'PATH_SYNTAX', message: 'variableSets.customer.email: unexpected "]"' }])} />);
    const customer = screen.getByText('customer').closest('details') as HTMLDetailsElement;
    expect(customer.open).toBe(true);
    expect(within(customer).getByText(/1 problem/)).toBeInTheDocument();
    expect(screen.getByLabelText('email')).toHaveAccessibleDescription(/Email\. PATH_SYNTAX variableSets\.customer\.email: unexpected/);
  });
});
