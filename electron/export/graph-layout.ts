/**
 * Positions for the host graph outside the app (the CLI's SVG): the same d3-force layout the Graph
 * view runs, ticked to rest in one go. d3-force is an ES module, so Node loads it with import().
 */
import type { GraphMeasure, HostGraph } from '../model/graph';
import { createLayout, layoutInput, LAYOUT_TICKS, type ForceApi } from '../../renderer/src/charts/graph-style';

export async function layoutGraph(g: HostGraph, measure: GraphMeasure): Promise<Record<string, { x: number; y: number }>> {
  const d3 = (await import('d3-force')) as unknown as ForceApi;
  const { nodes, links } = layoutInput(g, measure);
  const sim = createLayout(d3, nodes, links);
  const seeded = nodes.every((n) => n.x !== undefined);
  sim.tick(seeded ? 30 : LAYOUT_TICKS);
  const out: Record<string, { x: number; y: number }> = {};
  for (const n of nodes) out[n.id] = { x: n.x ?? 0, y: n.y ?? 0 };
  return out;
}
