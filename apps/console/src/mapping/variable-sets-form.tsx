import type { VariableSetView } from '@hookline/contracts';
import { FieldProblems, problemsId } from '../components/field-problems';
import { FLAT_SETS, type FlatSetName, type MappingDraft, type Problems } from './mapping-draft';
import { PathField } from './path-field';
import type { PickTarget } from './pick-target';

type SetsDraft = MappingDraft['sets'];

/**
 * Step 3 (optional): the standard variable sets, as forms whose fields are filled by picking
 * paths. Products are built from an array (usually line items): one product per element.
 */
export function VariableSetsForm({
  catalog,
  value,
  onChange,
  problems,
  target,
  onPick,
}: {
  catalog: readonly VariableSetView[];
  value: SetsDraft;
  onChange: (value: SetsDraft) => void;
  problems: Problems;
  target: PickTarget | null;
  onPick: (target: PickTarget) => void;
}) {
  return (
    <section aria-labelledby="sets-heading" className="card">
      <h2 id="sets-heading">Variable sets (optional)</h2>
      <p>Standard names journeys use whatever the source: fill the fields you need.</p>
      {catalog.map((set) =>
        set.name === 'products' ? (
          <ProductsSet key={set.name} set={set} value={value.products} onChange={(products) => onChange({ ...value, products })} problems={problems} target={target} onPick={onPick} />
        ) : (FLAT_SETS as readonly string[]).includes(set.name) ? (
          <FlatSet key={set.name} set={set} value={value[set.name as FlatSetName]} onChange={(fields) => onChange({ ...value, [set.name]: fields })} problems={problems} target={target} onPick={onPick} />
        ) : null,
      )}
    </section>
  );
}

function filled(fields: Record<string, string>): number {
  return Object.values(fields).filter((p) => p.trim() !== '').length;
}

function FieldHint({ type, description }: { type: string; description: string }) {
  return (
    <>
      <span className="type-tag">{type}</span> {description}
    </>
  );
}

function FlatSet({
  set,
  value,
  onChange,
  problems,
  target,
  onPick,
}: {
  set: VariableSetView;
  value: Record<string, string>;
  onChange: (fields: Record<string, string>) => void;
  problems: Problems;
  target: PickTarget | null;
  onPick: (target: PickTarget) => void;
}) {
  const base = `/variableSets/${set.name}`;
  const issues = problems.under(base).length;
  return (
    <details className="set" open={set.name === 'order' || filled(value) > 0 || issues > 0}>
      <summary>
        <span className="set-name">{set.name}</span> — {filled(value)} of {Object.keys(set.fields).length} fields
        {issues > 0 ? `, ${issues} problem${issues === 1 ? '' : 's'}` : ''}
      </summary>
      <p className="hint">{set.description}</p>
      <FieldProblems id={problemsId(base)} problems={problems.at(base)} severity={problems.severity} />
      <div className="set-fields">
        {Object.entries(set.fields).map(([field, meta]) => {
          const pointer = `${base}/${field}`;
          const setPath = (path: string) => onChange({ ...value, [field]: path });
          return (
            <PathField
              key={field}
              pointer={pointer}
              name={`${set.name}.${field}`}
              label={<code>{field}</code>}
              hint={<FieldHint type={meta.type} description={meta.description} />}
              value={value[field] ?? ''}
              onChange={setPath}
              picking={target?.pointer === pointer}
              onPick={() => onPick({ pointer, label: `${set.name}.${field}`, accepts: 'value' })}
              problems={problems.at(pointer)}
              severity={problems.severity}
            />
          );
        })}
      </div>
    </details>
  );
}

function ProductsSet({
  set,
  value,
  onChange,
  problems,
  target,
  onPick,
}: {
  set: VariableSetView;
  value: SetsDraft['products'];
  onChange: (products: SetsDraft['products']) => void;
  problems: Problems;
  target: PickTarget | null;
  onPick: (target: PickTarget) => void;
}) {
  const base = '/variableSets/products';
  const issues = problems.under(base).length;
  const setFrom = (from: string) => onChange({ ...value, from });
  return (
    <details className="set" open={value.from !== '' || filled(value.fields) > 0 || issues > 0}>
      <summary>
        <span className="set-name">products</span> — {value.from ? <>from <code>{value.from}</code>, </> : ''}
        {filled(value.fields)} of {Object.keys(set.fields).length} fields
        {issues > 0 ? `, ${issues} problem${issues === 1 ? '' : 's'}` : ''}
      </summary>
      <p className="hint">{set.description}</p>
      <FieldProblems id={problemsId(base)} problems={problems.at(base)} severity={problems.severity} />
      <PathField
        pointer={`${base}/from`}
        name="products, the array of items"
        label="From the array"
        hint="Pick an array, such as line_items: each of its items becomes one product."
        value={value.from}
        onChange={setFrom}
        picking={target?.pointer === `${base}/from`}
        onPick={() => onPick({ pointer: `${base}/from`, label: 'products (an array)', accepts: 'array' })}
        problems={problems.at(`${base}/from`)}
        severity={problems.severity}
      />
      <div className="set-fields">
        {Object.entries(set.fields).map(([field, meta]) => {
          const pointer = `${base}/fields/${field}`;
          const setField = (path: string) => onChange({ ...value, fields: { ...value.fields, [field]: path } });
          return (
            <PathField
              key={field}
              pointer={pointer}
              name={`products.${field}`}
              label={<code>{field}</code>}
              hint={<FieldHint type={meta.type} description={`${meta.description} A path inside each item.`} />}
              value={value.fields[field] ?? ''}
              onChange={setField}
              picking={target?.pointer === pointer}
              disabled={value.from.trim() === ''}
              onPick={() => onPick({ pointer, label: `products.${field}`, accepts: 'element', from: value.from.trim() })}
              problems={problems.at(pointer)}
              severity={problems.severity}
            />
          );
        })}
      </div>
    </details>
  );
}
