/**
 * `flowcase graph <case>`: the host graph in the terminal, as JSON, as Graphviz DOT, or as the same
 * SVG the app exports (laid out by the same d3-force code, no browser needed).
 */
import type { GraphMeasure, GraphNode, HostGraph } from '../model/graph';
import { hostGraph, DEFAULT_TOP, MAX_TOP } from '../query/host-graph';
import { FilterError } from '../query/display-filter';
import { renderGraphDot } from '../export/graph-dot';
import { layoutGraph } from '../export/graph-layout';
import { renderGraphSvg } from '../../renderer/src/charts/graph-svg';
import { writeFileGuarded } from '../files/guarded-write';
import { intOption, parseArgs, UsageError } from './cli-args';
import { evidencePaths, withCase } from './case-commands';
import { formatBytes, table } from './format';

export const GRAPH_USAGE = 'flowcase graph <case> [--filter EXPR] [--top N] [--group 24] [--measure bytes|packets] [--json | --dot | -o graph.svg|graph.dot|graph.json] [--force]';

/** The issue's JSON shape: folded and grouped nodes carry "members"; a fold's key is its "addr". */
export function graphJson(g: HostGraph): unknown {
  const node = (n: GraphNode) => ({
    addr: n.id, name: n.kind === 'fold' ? n.addr : n.name, packets: n.packets, bytes: n.bytes, peers: n.peers, role: n.role,
    internal: n.internal, ...(n.kind !== 'host' ? { members: n.members } : {}),
  });
  return {
    nodes: g.nodes.map(node),
    edges: g.edges.map((e) => ({ src: e.src, dst: e.dst, packets: e.packets, bytes: e.bytes, flows: e.flows, services: e.services, states: e.states, outcome: e.outcome })),
    hostTotal: g.hostTotal,
    folded: g.folded,
  };
}

function summary(g: HostGraph): string {
  const label = (id: string) => g.nodes.find((n) => n.id === id)?.addr ?? id;
  const nodes = table(['Node', 'Name', 'Role', 'Side', 'Packets', 'Bytes', 'Peers', 'Hosts'],
    g.nodes.map((n) => [n.addr, n.name || '-', n.role, n.internal ? 'internal' : 'external', n.packets, formatBytes(n.bytes), n.peers, n.members]), 40);
  const edges = table(['Originator', 'Responder', 'Outcome', 'Flows', 'Packets', 'Bytes', 'Services'],
    g.edges.slice(0, 60).map((e) => [label(e.src), label(e.dst), e.outcome, e.flows, e.packets, formatBytes(e.bytes), e.services.join(', ') || '-']), 40);
  return `${nodes}\n\n${edges}\n${g.nodes.length} nodes (${g.hostTotal} hosts in scope, ${g.folded} folded), ${g.edges.length} edges` +
    `${g.edges.length > 60 ? ' (60 heaviest shown)' : ''}\n`;
}

async function graph(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    values: { filter: ['--filter', '-Y'], top: ['--top'], group: ['--group'], measure: ['--measure'], output: ['-o', '--output'] },
    flags: { json: ['--json'], dot: ['--dot'], force: ['--force'] },
  });
  const top = intOption(a.options.top, '--top', DEFAULT_TOP, 1, MAX_TOP);
  const group = intOption(a.options.group, '--group', 0, 0, 24);
  if (group !== 0 && group !== 24) throw new UsageError('--group takes 24 (IPv4 /24 and IPv6 /64)');
  const measure = (a.options.measure ?? 'bytes') as GraphMeasure;
  if (measure !== 'bytes' && measure !== 'packets') throw new UsageError('--measure takes bytes or packets');
  const out = typeof a.options.output === 'string' ? a.options.output : undefined;
  if ([!!a.options.json, !!a.options.dot, !!out].filter(Boolean).length > 1) throw new UsageError('give one of --json, --dot, -o FILE');
  if (out && !/\.(svg|dot|gv|json)$/i.test(out)) throw new UsageError('-o writes .svg, .dot (or .gv) or .json');
  const filter = typeof a.options.filter === 'string' ? a.options.filter : undefined;

  let g: HostGraph;
  let protect: string[] = [];
  try {
    ({ g, protect } = withCase(a.positionals[0], (db) => ({
      g: hostGraph(db, { filter, top, group: group as 0 | 24, measure }),
      protect: evidencePaths(db, a.positionals[0]!),
    })));
  } catch (err) {
    if (err instanceof FilterError) {
      process.stderr.write(`flowcase: invalid filter: ${err.message}\n  ${filter}\n  ${' '.repeat(err.position)}^\n`);
      return 2;
    }
    throw err;
  }
  const title = `Host graph${filter ? ` — ${filter}` : ''}`;
  const render = async (kind: string): Promise<string> => {
    if (kind === 'json') return JSON.stringify(graphJson(g), null, 2) + '\n';
    if (kind === 'dot') return renderGraphDot(g, measure);
    return renderGraphSvg(g, await layoutGraph(g, measure), { measure, title });
  };
  if (out) {
    const kind = /\.svg$/i.test(out) ? 'svg' : /\.json$/i.test(out) ? 'json' : 'dot';
    const written = writeFileGuarded(out, await render(kind), { kind: 'text', force: !!a.options.force, protect });
    process.stdout.write(`Host graph (${g.nodes.length} nodes, ${g.edges.length} edges) written to ${written}\n`);
    return 0;
  }
  if (a.options.json) process.stdout.write(await render('json'));
  else if (a.options.dot) process.stdout.write(await render('dot'));
  else process.stdout.write(summary(g));
  return 0;
}

export const graphCommands: Record<string, (argv: string[]) => Promise<number>> = { graph };
