import type { PreviewResult } from '@hookline/contracts';
import { UNIQUE_ID_LABELS } from './unique-id-candidates';

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What a live event like this sample would become: the unique id, variables and sets, or each error. */
export function PreviewResultView({ result }: { result: PreviewResult }) {
  if (!result.ok) {
    return (
      <div className="preview preview-failed">
        <p>
          <strong>This event would fail</strong> and be recorded as <code>failed</code>:
        </p>
        <ul>
          {result.errors.map((e, i) => (
            <li key={i}>
              <span className="problem-code">{e.code}</span> {e.message}
              {e.path ? (
                <>
                  {' '}
                  at <code>{e.path}</code>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const sets = Object.entries(result.variableSets);
  const variables = Object.entries(result.variables);
  return (
    <div className="preview">
      {!result.matched && (
        <p>
          <strong>The filter rejects this event:</strong> it would be recorded as <code>skipped</code>.
        </p>
      )}
      <dl className="preview-id">
        <dt>Unique id</dt>
        <dd>
          <span className="badge badge-good">{UNIQUE_ID_LABELS[result.uniqueId.type]}</span> <output className="mono">{result.uniqueId.value}</output> from <code>{result.uniqueId.path}</code>
        </dd>
        {result.dedupeKey !== undefined && (
          <>
            <dt>Dedupe key</dt>
            <dd className="mono">{result.dedupeKey}</dd>
          </>
        )}
      </dl>
      <h3 className="small">Variables</h3>
      {variables.length === 0 ? (
        <p className="hint">None.</p>
      ) : (
        <table>
          <tbody>
            {variables.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">
                  <code>{name}</code>
                </th>
                <td className="mono">{show(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="small">Variable sets</h3>
      {sets.length === 0 ? (
        <p className="hint">None.</p>
      ) : (
        sets.map(([name, value]) => (
          <div key={name}>
            <h4 className="small">
              <code>{name}</code>
            </h4>
            <pre>{JSON.stringify(value, null, 2)}</pre>
          </div>
        ))
      )}
    </div>
  );
}
