/*
 * Builders for the packet-detail tree. Decoders call these only when the caller asked for a tree
 * (ctx.tree !== null), so ingest never pays for labels.
 */
import type { TreeNode } from './packet-summary';

/** Appends a protocol layer node (top level) and returns it so fields can be added. */
export function addLayer(tree: TreeNode[], label: string, start: number, length: number): TreeNode {
  const node: TreeNode = { label, start, length, children: [] };
  tree.push(node);
  return node;
}

/** Appends a field to a layer (or to another field) and returns it. */
export function addField(parent: TreeNode, label: string, start: number, length: number): TreeNode {
  const node: TreeNode = { label, start, length };
  if (parent.children === undefined) parent.children = [];
  parent.children.push(node);
  return node;
}
