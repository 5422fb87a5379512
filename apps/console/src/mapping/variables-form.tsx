import type { VariableType } from '@hookline/mapping-rules';
import { FieldProblems, problemsId } from '../components/field-problems';
import { type Problems, VARIABLE_TYPES, type VariableDraft } from './mapping-draft';
import { fieldId } from './path-field';

/** Step 2b: the variables ticked in the tree, each named and typed; or every variable ("all"). */
export function VariablesForm({
  variables,
  allVariables,
  onChange,
  onAll,
  problems,
}: {
  variables: readonly VariableDraft[];
  allVariables: boolean;
  onChange: (variables: VariableDraft[]) => void;
  onAll: (all: boolean) => void;
  problems: Problems;
}) {
  const update = (i: number, patch: Partial<VariableDraft>) => onChange(variables.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  return (
    <fieldset className="card">
      <legend>
        <h2>Variables</h2>
      </legend>
      <div className="field checkbox-field">
        <input id="all-variables" type="checkbox" checked={allVariables} onChange={(e) => onAll(e.target.checked)} />
        <label htmlFor="all-variables">Every variable the samples showed (“all”), named after its path</label>
      </div>
      <FieldProblems id={problemsId('/variables')} problems={problems.at('/variables')} severity={problems.severity} />
      {!allVariables && variables.length === 0 && <p className="hint">Tick paths in the tree to add variables. A path inside an array takes its first item.</p>}
      {!allVariables && variables.length > 0 && (
        <table className="variables">
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {variables.map((v, i) => {
              const at = (f: string) => problems.at(`/variables/${i}/${f}`);
              const describedBy = (f: string) => (at(f).length > 0 ? problemsId(`/variables/${i}/${f}`) : undefined);
              return (
                <tr key={`${v.path}-${i}`}>
                  <td>
                    <code id={fieldId(`/variables/${i}/path`)} tabIndex={-1}>
                      {v.path}
                    </code>
                    <FieldProblems id={problemsId(`/variables/${i}/path`)} problems={at('path')} severity={problems.severity} />
                  </td>
                  <td>
                    <input
                      id={fieldId(`/variables/${i}/name`)}
                      aria-label={`Name of ${v.path}`}
                      value={v.name}
                      onChange={(e) => update(i, { name: e.target.value })}
                      aria-invalid={(problems.severity === 'error' && at('name').length > 0) || undefined}
                      aria-describedby={describedBy('name')}
                      spellCheck={false}
                    />
                    <FieldProblems id={problemsId(`/variables/${i}/name`)} problems={at('name')} severity={problems.severity} />
                  </td>
                  <td>
                    <select id={fieldId(`/variables/${i}/type`)} aria-label={`Type of ${v.path}`} value={v.type} onChange={(e) => update(i, { type: e.target.value as VariableType | '' })} aria-describedby={describedBy('type')}>
                      <option value="">as sent</option>
                      {VARIABLE_TYPES.map((t) => (
                        <option key={t} value={t}>
                          {t}
                        </option>
                      ))}
                    </select>
                    <FieldProblems id={problemsId(`/variables/${i}/type`)} problems={at('type')} severity={problems.severity} />
                  </td>
                  <td>
                    <button type="button" onClick={() => onChange(variables.filter((_, j) => j !== i))} aria-label={`Remove ${v.path}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </fieldset>
  );
}
