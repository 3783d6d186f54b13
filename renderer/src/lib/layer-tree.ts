/**
 * The packet detail's layer tree: nodes carry byte ranges into the frame. Paths (child
 * indexes from the root list) identify nodes for expansion and selection.
 */

export interface RangeNode {
  label: string;
  start: number;
  length: number;
  children?: unknown[];
}

function isRangeNode(v: unknown): v is RangeNode {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.label === 'string' && typeof o.start === 'number' && typeof o.length === 'number';
}

/** Children of a node as typed nodes (the contract leaves them `unknown[]`); malformed entries are skipped. */
export function childNodes(node: RangeNode): RangeNode[] {
  return Array.isArray(node.children) ? node.children.filter(isRangeNode) : [];
}

export function pathKey(path: readonly number[]): string {
  return path.join('.');
}

export function nodeAtPath(nodes: readonly RangeNode[], path: readonly number[]): RangeNode | null {
  let list: readonly RangeNode[] = nodes;
  let node: RangeNode | null = null;
  for (const i of path) {
    node = list[i] ?? null;
    if (!node) return null;
    list = childNodes(node);
  }
  return node;
}

/**
 * Path to the smallest node whose range contains `offset` (clicking a hex byte selects the
 * most specific field; the frame node covers every byte, so size decides, not order). Ties
 * go to the deeper node. Null when no node covers the byte.
 */
export function pathAtOffset(nodes: readonly RangeNode[], offset: number): number[] | null {
  let best: number[] | null = null;
  let bestLen = Infinity;
  const walk = (list: readonly RangeNode[], prefix: number[]) => {
    list.forEach((n, i) => {
      const path = [...prefix, i];
      if (n.length > 0 && offset >= n.start && offset < n.start + n.length) {
        if (n.length < bestLen || (n.length === bestLen && best !== null && path.length > best.length)) {
          best = path;
          bestLen = n.length;
        }
      }
      walk(childNodes(n), path);
    });
  };
  walk(nodes, []);
  return best;
}

export interface FlatNode {
  key: string;
  path: number[];
  depth: number;
  node: RangeNode;
  hasChildren: boolean;
  expanded: boolean;
}

/** The visible rows of the tree, depth-first, given the set of expanded path keys. */
export function flattenTree(nodes: readonly RangeNode[], expanded: ReadonlySet<string>): FlatNode[] {
  const out: FlatNode[] = [];
  const walk = (list: readonly RangeNode[], prefix: number[], depth: number) => {
    list.forEach((node, i) => {
      const path = [...prefix, i];
      const key = pathKey(path);
      const kids = childNodes(node);
      const isOpen = kids.length > 0 && expanded.has(key);
      out.push({ key, path, depth, node, hasChildren: kids.length > 0, expanded: isOpen });
      if (isOpen) walk(kids, path, depth + 1);
    });
  };
  walk(nodes, [], 0);
  return out;
}

/** Keys of every ancestor of `path` (to expand them when selecting a deep node). */
export function ancestorKeys(path: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < path.length; i++) out.push(pathKey(path.slice(0, i)));
  return out;
}
