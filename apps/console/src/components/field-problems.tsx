import type { ProblemDetail } from '@hookline/contracts';

/** The API's problems for one field, shown beside it; `id` is what the field's aria-describedby names. */
export function FieldProblems({ id, problems, severity }: { id: string; problems: readonly ProblemDetail[]; severity: 'error' | 'warning' }) {
  if (problems.length === 0) return null;
  return (
    <ul id={id} className={`problems problems-${severity}`}>
      {problems.map((p, i) => (
        <li key={i}>
          <span className="problem-code">{p.code}</span> {p.message}
        </li>
      ))}
    </ul>
  );
}

/** An id for the problems of a pointer, usable in aria-describedby. */
export function problemsId(pointer: string): string {
  return `problems${pointer.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
