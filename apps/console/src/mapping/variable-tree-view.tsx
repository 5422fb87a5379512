import type { PickerVariable, VariablePickerView } from '@hookline/contracts';
import { useMemo, useState } from 'react';
import { formatExample } from '../lib/format';
import { firstElementPath, parentPath } from '../lib/paths';
import { type PickTarget, pickedValue } from './pick-target';
import { buildTree, isContainer, matchingPaths, presenceText, type TreeNode } from './variable-tree';

export interface VariableTreeProps {
  picker: VariablePickerView;
  /** Variable paths picked (one value each: `[]` taken as `[0]`). */
  picked: ReadonlySet<string>;
  allVariables: boolean;
  onToggle: (variable: PickerVariable, checked: boolean) => void;
  /** The form field waiting for a path, if any: fitting nodes then offer a "Use" button. */
  target: PickTarget | null;
  onUse: (target: PickTarget, path: string, variable: PickerVariable) => void;
  onCancelPick: () => void;
  uniqueIdPath: string;
}

/**
 * The merged schema of every sample as a tree: each path with its types, how many samples
 * carried it, an example and its suggested roles. Nested lists with disclosure buttons (not
 * an ARIA tree, whose items may not hold the checkboxes and buttons each row has).
 */
export function VariableTree({ picker, picked, allVariables, onToggle, target, onUse, onCancelPick, uniqueIdPath }: VariableTreeProps) {
  const roots = useMemo(() => buildTree(picker.variables), [picker.variables]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => matchingPaths(roots, filter), [roots, filter]);
  // Picking a product field: open the products' array, where the fitting paths are.
  const forced = useMemo(() => {
    const open = new Set<string>();
    if (target?.accepts !== 'element') return open;
    for (let path = target.from; path !== ''; path = parentPath(path)) open.add(path);
    return open;
  }, [target]);

  const allContainers = useMemo(() => picker.variables.filter((v) => isContainer(v)).map((v) => v.path), [picker.variables]);
  const toggleExpanded = (path: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  const context: RowContext = { picker, picked, allVariables, onToggle, target, onUse, uniqueIdPath, expanded, forced, toggleExpanded, shown };
  return (
    <section aria-labelledby="tree-heading" className="tree-panel">
      <h2 id="tree-heading">Variables from {picker.sampleCount} sample{picker.sampleCount === 1 ? '' : 's'}</h2>
      {picker.sampleCount === 0 ? (
        <p>No samples yet: send a webhook to the URL and its fields appear here.</p>
      ) : (
        <>
          <div className="tree-tools">
            <label htmlFor="tree-filter">Filter paths</label>
            <input id="tree-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="email, line_items, price…" />
            <button type="button" onClick={() => setExpanded(new Set(allContainers))}>
              Expand all
            </button>
            <button type="button" onClick={() => setExpanded(new Set())}>
              Collapse all
            </button>
          </div>
          {target && (
            <p className="picking-banner" role="status">
              Choose a path for <strong>{target.label}</strong> with its “Use” button.{' '}
              <button type="button" onClick={onCancelPick}>
                Cancel
              </button>
            </p>
          )}
          <ul className="tree">
            {roots.map((node) => (
              <TreeRow key={node.path} node={node} depth={0} context={context} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

interface RowContext extends Omit<VariableTreeProps, 'onCancelPick'> {
  expanded: ReadonlySet<string>;
  forced: ReadonlySet<string>;
  toggleExpanded: (path: string) => void;
  shown: Set<string> | null;
}

function TreeRow({ node, depth, context }: { node: TreeNode; depth: number; context: RowContext }) {
  const { picker, picked, allVariables, onToggle, target, onUse, uniqueIdPath, expanded, forced, toggleExpanded, shown } = context;
  if (shown && !shown.has(node.path)) return null;
  const v = node.variable;
  const hasChildren = node.children.length > 0;
  const open = hasChildren && (expanded.has(node.path) || forced.has(node.path) || shown !== null);
  const container = isContainer(v);
  const each = v.path.endsWith('[]');
  const detailsId = `node-${cssSafe(v.path)}`;
  const value = target ? pickedValue(target, v) : null;
  const variablePath = firstElementPath(v.path);
  return (
    <li>
      <div className={`node${v.mapped ? ' node-mapped' : ''}`}>
        {hasChildren ? (
          <button type="button" className="disclosure" aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${v.path}`} onClick={() => toggleExpanded(node.path)} disabled={shown !== null || forced.has(node.path)}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="disclosure-spacer" aria-hidden="true" />
        )}
        {!each && (
          <input
            type="checkbox"
            aria-label={`Pick ${v.path} as a variable`}
            aria-describedby={detailsId}
            checked={allVariables || picked.has(variablePath)}
            disabled={allVariables}
            onChange={(e) => onToggle(v, e.target.checked)}
          />
        )}
        <span className="node-main">
        <code className="node-label" title={v.path}>
          {node.label}
        </code>
        <span id={detailsId} className="node-details">
          <span className="types">{v.types.join(' | ')}</span>
          <span className="presence">{presenceText(v.presence, picker.sampleCount)}</span>
          {!container && v.example !== null && v.example !== undefined && <span className="example">e.g. {formatExample(v.example)}</span>}
          {v.roles.map((role) => (
            <span key={role} className="badge badge-role">
              {role.replace(/_/g, ' ')}
            </span>
          ))}
          {variablePath === uniqueIdPath && <span className="badge badge-good">unique id</span>}
          {v.mapped && <span className="badge badge-neutral">mapped</span>}
          {v.missing && <span className="badge badge-warn">not in the latest sample</span>}
        </span>
        </span>
        {target && value !== null && (
          <button type="button" className="use" onClick={() => onUse(target, value, v)} aria-label={`Use ${v.path} for ${target.label}`}>
            Use
          </button>
        )}
      </div>
      {open && (
        <ul>
          {node.children.map((child) => (
            <TreeRow key={child.path} node={child} depth={depth + 1} context={context} />
          ))}
        </ul>
      )}
    </li>
  );
}

function cssSafe(path: string): string {
  return path.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}
