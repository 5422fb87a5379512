import type { PickerVariable, PreviewResult, SampleView, VariablePickerView, VariableSetView } from '@hookline/contracts';
import type { MappingDefinition } from '@hookline/mapping-rules';
import { useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../api/api-client';
import { useApi } from '../api/api-context';
import { formatBytes, formatTime } from '../lib/format';
import { firstElementPath, suggestName } from '../lib/paths';
import type { SavedMapping } from '../triggers/trigger-page';
import { applyPick, emptyDraft, fromDefinition, type MappingDraft, Problems, toDefinition, uniqueName } from './mapping-draft';
import { fieldId } from './path-field';
import type { PickTarget } from './pick-target';
import { PreviewResultView } from './preview-result';
import { suggestType } from './suggest-type';
import { UniqueIdForm } from './unique-id-form';
import { VariableSetsForm } from './variable-sets-form';
import { VariableTree } from './variable-tree-view';
import { VariablesForm } from './variables-form';

interface EditorProps {
  triggerId: string;
  picker: VariablePickerView | null;
  sets: VariableSetView[] | null;
  /** undefined while loading; null when the trigger has no mapping yet. */
  saved: SavedMapping | null | undefined;
  samples: readonly SampleView[];
  onSaved: (saved: SavedMapping) => void;
  onUnauthorized: () => void;
}

/** Steps 2 and 3: the tree on the left, the mapping's forms, preview and save on the right. */
export function MappingEditor(props: EditorProps) {
  if (props.saved === undefined || props.picker === null || props.sets === null) return <p>Loading the variables…</p>;
  return <Editor {...props} picker={props.picker} sets={props.sets} saved={props.saved} />;
}

function Editor({ triggerId, picker, sets, saved, samples, onSaved, onUnauthorized }: EditorProps & { picker: VariablePickerView; sets: VariableSetView[]; saved: SavedMapping | null }) {
  const api = useApi();
  const [draft, setDraft] = useState<MappingDraft>(() => (saved ? fromDefinition(saved.definition) : emptyDraft()));
  const [target, setTarget] = useState<PickTarget | null>(null);
  const [problems, setProblems] = useState(() => new Problems());
  const [status, setStatus] = useState<{ text: string; tone: 'good' | 'bad' } | null>(null);
  const [busy, setBusy] = useState<'save' | 'preview' | null>(null);
  const [sampleId, setSampleId] = useState('');
  const [preview, setPreview] = useState<PreviewResult | null>(null);

  const picked = useMemo(() => new Set(draft.variables.map((v) => v.path)), [draft.variables]);
  const definition = useMemo(() => toDefinition(draft), [draft]);
  // A problem disappears once its field is edited; the rest stay until the next save or preview.
  const shown = useMemo(() => problems.stillFor(definition), [problems, definition]);
  const dirty = useMemo(() => JSON.stringify(definition) !== JSON.stringify(saved ? toDefinition(fromDefinition(saved.definition)) : null), [definition, saved]);

  const update = (patch: Partial<MappingDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const onToggle = (variable: PickerVariable, checked: boolean) => {
    const path = firstElementPath(variable.path);
    setDraft((d) => {
      if (!checked) return { ...d, variables: d.variables.filter((v) => v.path !== path) };
      if (d.variables.some((v) => v.path === path)) return d;
      const name = uniqueName(suggestName(path), new Set(d.variables.map((v) => v.name)));
      return { ...d, variables: [...d.variables, { path, name, type: suggestType(variable), rest: {} }] };
    });
  };

  const onPick = (next: PickTarget) => setTarget((current) => (current?.pointer === next.pointer ? null : next));
  const onUse = (t: PickTarget, path: string, variable: PickerVariable) => {
    setDraft((d) => applyPick(d, t.pointer, path, variable));
    setTarget(null);
    // Back to the field that was filled, so the keyboard continues from there.
    setTimeout(() => document.getElementById(fieldId(t.pointer))?.focus(), 0);
  };

  const failed = (error: unknown, what: string, judged: MappingDefinition) => {
    if (error instanceof ApiError && error.status === 401) return onUnauthorized();
    if (error instanceof ApiError && error.code === 'MAPPING_INVALID') {
      setProblems(new Problems(error.problems, 'error', judged));
      setStatus({ text: `${what}: the mapping has ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}, shown beside the fields.`, tone: 'bad' });
    } else setStatus({ text: `${what}: ${errorMessage(error)}`, tone: 'bad' });
  };

  const save = async () => {
    setBusy('save');
    setStatus(null);
    try {
      const answer = await api.saveMapping(triggerId, definition);
      setProblems(new Problems(answer.warnings, 'warning', definition));
      const warned = answer.warnings.length > 0 ? ` with ${answer.warnings.length} warning${answer.warnings.length === 1 ? '' : 's'} (shown beside the fields)` : '';
      setStatus({ text: `Saved as version ${answer.version}${warned}.`, tone: 'good' });
      onSaved({ version: answer.version, definition });
    } catch (error) {
      failed(error, 'Not saved', definition);
    } finally {
      setBusy(null);
    }
  };

  const runPreview = async () => {
    setBusy('preview');
    setStatus(null);
    try {
      setPreview(await api.preview(triggerId, { mapping: definition, ...(sampleId ? { sampleId } : {}) }));
      setProblems(new Problems());
    } catch (error) {
      setPreview(null);
      failed(error, 'No preview', definition);
    } finally {
      setBusy(null);
    }
  };

  const goTo = (pointer: string) => {
    const element = document.getElementById(fieldId(pointer));
    const details = element?.closest('details');
    if (details) details.open = true;
    element?.focus();
  };

  return (
    <div className="map-layout">
      <div className="map-tree">
        <VariableTree
          picker={picker}
          picked={picked}
          allVariables={draft.allVariables}
          onToggle={onToggle}
          target={target}
          onUse={onUse}
          onCancelPick={() => setTarget(null)}
          uniqueIdPath={draft.uniqueId.path}
        />
      </div>
      <div className="map-forms">
        <UniqueIdForm value={draft.uniqueId} onChange={(uniqueId) => update({ uniqueId })} variables={picker.variables} sampleCount={picker.sampleCount} problems={shown} target={target} onPick={onPick} />
        <VariablesForm
          variables={draft.variables}
          allVariables={draft.allVariables}
          onChange={(variables) => update({ variables })}
          onAll={(allVariables) => update({ allVariables })}
          problems={shown}
        />
        <VariableSetsForm catalog={sets} value={draft.sets} onChange={(s) => update({ sets: s })} problems={shown} target={target} onPick={onPick} />
        {(draft.kept.filter !== undefined || draft.kept.dedupeKey !== undefined) && (
          <p className="hint">This mapping also has a {[draft.kept.filter !== undefined && 'filter', draft.kept.dedupeKey !== undefined && 'dedupe key'].filter(Boolean).join(' and ')}, set through the API: saved as it is.</p>
        )}
        <section aria-labelledby="preview-heading" className="card">
          <h2 id="preview-heading">Preview and save</h2>
          <p className="hint">
            The preview runs the mapping as edited here on a stored sample, exactly as a live event would run; it changes nothing.
            {saved ? ` The saved version is ${saved.version}.` : ' Nothing is saved yet.'} {dirty && <strong>You have unsaved changes.</strong>}
          </p>
          <div className="inline-form">
            <div className="field">
              <label htmlFor="preview-sample">Sample</label>
              <select id="preview-sample" value={sampleId} onChange={(e) => setSampleId(e.target.value)}>
                <option value="">The newest sample</option>
                {samples.map((s) => (
                  <option key={s.id} value={s.id}>
                    {formatTime(s.receivedAt)} · {formatBytes(s.bytes)}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" onClick={() => void runPreview()} disabled={busy !== null}>
              {busy === 'preview' ? 'Running…' : 'Preview'}
            </button>
            <button type="button" className="primary" onClick={() => void save()} disabled={busy !== null}>
              {busy === 'save' ? 'Saving…' : 'Save mapping'}
            </button>
          </div>
          <div aria-live="polite">
            {status && <p className={status.tone === 'good' ? 'success' : 'error'}>{status.text}</p>}
          </div>
          {shown.all.length > 0 && (
            <div className={`problem-summary problems-${shown.severity}`}>
              <h3 className="small">{shown.severity === 'error' ? 'Problems' : 'Warnings'}</h3>
              <ul>
                {shown.all.map((p, i) => (
                  <li key={i}>
                    <button type="button" className="link" onClick={() => goTo(p.pointer)}>
                      <code>{p.pointer || '/'}</code>
                    </button>{' '}
                    <span className="problem-code">{p.code}</span> {p.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {preview && (
            <div aria-labelledby="preview-result-heading">
              <h3 id="preview-result-heading">Preview{preview.sampleId ? ` of sample ${preview.sampleId}` : ''}</h3>
              <PreviewResultView result={preview} />
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
