/** The report's graph figure stays bounded: past the limit, nodes merge into one "N more hosts" node, traffic kept. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boundGraph } from '../../../electron/export/figures/graph-figure';
import type { GraphNode, HostGraph, NodeRole } from '../../../electron/model/graph';

function node(id: string, role: NodeRole, packets: number, kind: GraphNode['kind'] = 'host'): GraphNode {
  return { id, addr: id, kind, name: '', packets, bytes: packets * 100, pktsOut: packets, pktsIn: 0, peers: 1, role, internal: true, members: kind === 'fold' ? 3 : 1, findingIds: [] };
}

function big(): HostGraph {
  const nodes = [node('t', 'target', 1000), ...Array.from({ length: 30 }, (_, i) => node(`s${i}`, 'source', 10 + i, i % 2 ? 'fold' : 'host')),
    ...Array.from({ length: 200 }, (_, i) => node(`a${i}`, 'affected', 500 - i)), ...Array.from({ length: 20 }, (_, i) => node(`o${i}`, 'other', 5))];
  const edges = nodes.filter((n) => n.id !== 't').map((n) => ({
    src: n.id, dst: 't', packets: n.packets, bytes: n.bytes, flows: 1, services: ['443/tcp https'], states: { completed: 1 }, outcome: 'completed' as const, firstTs: '10', lastTs: '20',
  }));
  edges.push({ src: 'a0', dst: 'a1', packets: 7, bytes: 700, flows: 1, services: [], states: { 'half-open': 1 } as never, outcome: 'half-open' as never, firstTs: '5', lastTs: '30' });
  return { nodes, edges, edgeTotal: edges.length, hostTotal: nodes.length, folded: 0, positions: {}, homeNetworks: [] } as unknown as HostGraph;
}

describe('report graph bound', () => {
  it('keeps the target and the 10 heaviest sources, then affected clients; merges the rest without losing traffic', () => {
    const g = big();
    const { graph, merged } = boundGraph(g, 40);
    assert.equal(graph.nodes.length, 40);
    const ids = new Set(graph.nodes.map((n) => n.id));
    assert.ok(ids.has('t'));
    for (let i = 20; i < 30; i++) assert.ok(ids.has(`s${i}`), `source s${i}`);
    assert.ok(ids.has('a0') && ids.has('a27') && !ids.has('a28'));
    const rest = graph.nodes.find((n) => n.id === 'others:report')!;
    assert.equal(rest.kind, 'fold');
    assert.equal(merged, rest.members);
    assert.equal(rest.addr, `${merged} more hosts`);
    assert.equal(rest.role, 'source', 'the merged node shows the strongest role it holds');
    const sum = (h: HostGraph) => h.edges.reduce((s, e) => s + e.packets, 0);
    assert.equal(sum(graph), sum(g), 'every packet is still on an edge');
    const toTarget = graph.edges.find((e) => e.src === 'others:report' && e.dst === 't')!;
    assert.ok(toTarget.flows > 100);
    for (const e of graph.edges) assert.ok(ids.has(e.src) && ids.has(e.dst));
  });

  it('leaves a small graph alone', () => {
    const g = { ...big(), nodes: big().nodes.slice(0, 10) };
    assert.equal(boundGraph(g, 40).graph, g);
  });
});
