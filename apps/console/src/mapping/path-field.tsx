import type { ProblemDetail } from '@hookline/contracts';
import type { ReactNode } from 'react';
import { FieldProblems, problemsId } from '../components/field-problems';

/** The id of the input that edits the definition at `pointer` (problems link to it). */
export function fieldId(pointer: string): string {
  return `field${pointer.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * A path input with a "Pick" button that arms the tree, and the API's problems for its
 * pointer beside it.
 */
export function PathField({
  pointer,
  name,
  label,
  hint,
  value,
  onChange,
  onPick,
  picking,
  problems,
  severity,
  disabled,
  extra,
}: {
  pointer: string;
  /** What the field is called for a screen reader: "order.totalPrice". */
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  onPick?: () => void;
  picking: boolean;
  problems: readonly ProblemDetail[];
  severity: 'error' | 'warning';
  disabled?: boolean;
  extra?: ReactNode;
}) {
  const id = fieldId(pointer);
  const hintId = `${id}-hint`;
  const described = [hint ? hintId : null, problems.length > 0 ? problemsId(pointer) : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field path-field${picking ? ' picking' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="path-input">
        <input
          id={id}
          className="mono"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={(severity === 'error' && problems.length > 0) || undefined}
          aria-describedby={described}
          disabled={disabled}
          spellCheck={false}
          autoComplete="off"
        />
        {onPick && (
          <button type="button" onClick={onPick} aria-pressed={picking} disabled={disabled} aria-label={`Pick ${name} in the tree`}>
            {picking ? 'Picking…' : 'Pick'}
          </button>
        )}
        {extra}
      </div>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      <FieldProblems id={problemsId(pointer)} problems={problems} severity={severity} />
    </div>
  );
}
