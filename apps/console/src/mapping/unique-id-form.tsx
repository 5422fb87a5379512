import type { PickerVariable, UniqueIdType } from '@hookline/contracts';
import { FieldProblems, problemsId } from '../components/field-problems';
import type { Problems } from './mapping-draft';
import type { MappingDraft } from './mapping-draft';
import { fieldId, PathField } from './path-field';
import type { PickTarget } from './pick-target';
import { fallbackCandidates, UNIQUE_ID_LABELS, UNIQUE_ID_TYPES, type UniqueIdCandidate, uniqueIdCandidates } from './unique-id-candidates';
import { presenceText } from './variable-tree';

type UniqueIdDraft = MappingDraft['uniqueId'];

/**
 * Step 2a: the field that identifies the customer. Fields whose suggested role fits a unique
 * id type are offered first; the other fields with the same role are offered as fallbacks.
 */
export function UniqueIdForm({
  value,
  onChange,
  variables,
  sampleCount,
  problems,
  target,
  onPick,
}: {
  value: UniqueIdDraft;
  onChange: (value: UniqueIdDraft) => void;
  variables: readonly PickerVariable[];
  sampleCount: number;
  problems: Problems;
  target: PickTarget | null;
  onPick: (target: PickTarget) => void;
}) {
  const candidates = uniqueIdCandidates(variables);
  const fallbacks = fallbackCandidates(candidates, value.type, value.path).filter((c) => !value.fallbacks.includes(c.path));
  const choose = (c: UniqueIdCandidate) => onChange({ ...value, type: c.type, path: c.path, fallbacks: value.fallbacks.filter((f) => f !== c.path) });
  const typeProblems = problems.at('/uniqueId/type');
  const describe = (c: UniqueIdCandidate) => `${presenceText(c.variable.presence, sampleCount)}${c.variable.example !== null && c.variable.example !== undefined ? `, e.g. ${String(c.variable.example)}` : ''}`;
  const picking = (pointer: string) => target?.pointer === pointer;

  return (
    <fieldset className="card">
      <legend>
        <h2>Unique id</h2>
      </legend>
      <p>The field that identifies the customer the journey is for.</p>
      {candidates.length > 0 && (
        <div className="suggestions">
          <h3 className="small">Suggested by the samples</h3>
          <ul>
            {candidates.slice(0, 6).map((c) => (
              <li key={`${c.type}-${c.path}`}>
                <button type="button" onClick={() => choose(c)} aria-label={`Use ${c.path} as the unique id (${UNIQUE_ID_LABELS[c.type]})`} aria-pressed={value.type === c.type && value.path === c.path}>
                  <code>{c.path}</code> as {UNIQUE_ID_LABELS[c.type]}
                </button>{' '}
                <span className="hint">{describe(c)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="field">
        <label htmlFor={fieldId('/uniqueId/type')}>Type</label>
        <select
          id={fieldId('/uniqueId/type')}
          value={value.type}
          onChange={(e) => onChange({ ...value, type: e.target.value as UniqueIdType | '' })}
          aria-invalid={typeProblems.length > 0 || undefined}
          aria-describedby={typeProblems.length > 0 ? problemsId('/uniqueId/type') : undefined}
        >
          <option value="">Choose…</option>
          {UNIQUE_ID_TYPES.map((t) => (
            <option key={t} value={t}>
              {UNIQUE_ID_LABELS[t]}
            </option>
          ))}
        </select>
        <FieldProblems id={problemsId('/uniqueId/type')} problems={typeProblems} severity={problems.severity} />
      </div>
      <PathField
        pointer="/uniqueId/path"
        name="the unique id"
        label="Path"
        value={value.path}
        onChange={(path) => onChange({ ...value, path })}
        picking={picking('/uniqueId/path')}
        onPick={() => onPick({ pointer: '/uniqueId/path', label: 'the unique id', accepts: 'value' })}
        problems={problems.at('/uniqueId/path')}
        severity={problems.severity}
      />
      {value.type === 'phone' && (
        <div className="field">
          <label htmlFor={fieldId('/uniqueId/defaultCountry')}>Default country for national numbers (optional)</label>
          <input
            id={fieldId('/uniqueId/defaultCountry')}
            value={value.defaultCountry}
            maxLength={2}
            placeholder="IN"
            onChange={(e) => onChange({ ...value, defaultCountry: e.target.value })}
            aria-describedby={problems.at('/uniqueId/defaultCountry').length > 0 ? problemsId('/uniqueId/defaultCountry') : undefined}
          />
          <FieldProblems id={problemsId('/uniqueId/defaultCountry')} problems={problems.at('/uniqueId/defaultCountry')} severity={problems.severity} />
        </div>
      )}
      <h3 className="small">Fallbacks</h3>
      <p className="hint">Tried in order when the path has no value.</p>
      {value.fallbacks.map((f, i) => {
        const pointer = `/uniqueId/fallbacks/${i}`;
        const set = (path: string) => onChange({ ...value, fallbacks: value.fallbacks.map((x, j) => (j === i ? path : x)) });
        return (
          <PathField
            key={i}
            pointer={pointer}
            name={`fallback ${i + 1}`}
            label={`Fallback ${i + 1}`}
            value={f}
            onChange={set}
            picking={picking(pointer)}
            onPick={() => onPick({ pointer, label: `fallback ${i + 1}`, accepts: 'value' })}
            problems={problems.at(pointer)}
            severity={problems.severity}
            extra={
              <button type="button" onClick={() => onChange({ ...value, fallbacks: value.fallbacks.filter((_, j) => j !== i) })} aria-label={`Remove fallback ${i + 1}`}>
                Remove
              </button>
            }
          />
        );
      })}
      <FieldProblems id={problemsId('/uniqueId/fallbacks')} problems={problems.at('/uniqueId/fallbacks')} severity={problems.severity} />
      <div className="suggestions">
        {fallbacks.slice(0, 4).map((c) => (
          <button key={c.path} type="button" onClick={() => onChange({ ...value, fallbacks: [...value.fallbacks, c.path] })} aria-label={`Add ${c.path} as a fallback`}>
            + <code>{c.path}</code>
          </button>
        ))}
        <button type="button" onClick={() => onChange({ ...value, fallbacks: [...value.fallbacks, ''] })}>
          Add a fallback
        </button>
      </div>
    </fieldset>
  );
}
