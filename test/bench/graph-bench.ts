/**
 * Timings of the host graph, per-host panel and ladder queries (issue 9), called from bench.ts on
 * its case; also runnable alone on any case: `node dist/test/bench/graph-bench.js <case.flowcase>`.
 * Issue targets: graph whole case < 300 ms, filtered scope < 300 ms, ladder page < 100 ms.
 */
import { performance } from 'node:perf_hooks';
import { openCase, type CaseDb } from '../../db/open-case';
import { hostGraph } from '../../electron/query/host-graph';
import { hostProfile } from '../../electron/query/host-profile';
import { ladderPage } from '../../electron/query/ladder';

export interface GraphTiming { name: string; firstMs: number; bestMs: number; result: string }

function time(name: string, run: () => unknown, describe: (r: unknown) => string): GraphTiming {
  const times: number[] = [];
  let result: unknown;
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    result = run();
    times.push(performance.now() - t);
  }
  return { name, firstMs: times[0], bestMs: Math.min(...times.slice(1)), result: describe(result) };
}

export function graphTimings(db: CaseDb): GraphTiming[] {
  const out: GraphTiming[] = [];
  const graph = (r: unknown) => { const g = r as { nodes: unknown[]; edges: unknown[]; hostTotal: number }; return `${g.nodes.length} nodes, ${g.edges.length} edges of ${g.hostTotal} hosts`; };
  out.push(time('graph: whole case (top 150)', () => hostGraph(db, {}), graph));
  out.push(time('graph: whole case, /24 groups', () => hostGraph(db, { group: 24 }), graph));
  out.push(time('graph: filter "tcp.flags.syn == 1 && tcp.flags.ack == 0"', () => hostGraph(db, { filter: 'tcp.flags.syn == 1 && tcp.flags.ack == 0' }), graph));
  out.push(time('graph: filter "dns"', () => hostGraph(db, { filter: 'dns' }), graph));
  const first = db.prepare('SELECT CAST(min(ts_ns) AS TEXT) FROM packets').pluck().get() as string | null;
  if (first) {
    const to = (BigInt(first) + 60_000_000_000n).toString();
    out.push(time('graph: first 60 s', () => hostGraph(db, { from: first, to }), graph));
  }
  const busiest = db.prepare('SELECT a.addr FROM hosts h JOIN addrs a ON a.id = h.addr_id ORDER BY h.pkts_sent + h.pkts_recv DESC LIMIT 1').pluck().get() as string | undefined;
  if (busiest) out.push(time(`host panel: busiest host ${busiest}`, () => hostProfile(db, busiest), (r) => `${(r as { peerTotal: number }).peerTotal} peers`));
  const big = db.prepare('SELECT id, orig_pkts + resp_pkts AS n FROM flows ORDER BY n DESC LIMIT 1').get() as { id: number; n: number } | undefined;
  if (big) {
    const page = (r: unknown) => `${(r as { arrows: unknown[] }).arrows.length} arrows of ${(r as { total: number }).total}`;
    out.push(time(`ladder: first page of the largest flow (${big.n} packets)`, () => ladderPage(db, { flowId: big.id }), page));
    const lastIds = db.prepare('SELECT id FROM packets WHERE flow_id = ? ORDER BY id DESC LIMIT 201').pluck().all(big.id) as number[];
    const after = lastIds.length > 200 ? lastIds[200] : 0;
    out.push(time('ladder: last page of the largest flow', () => ladderPage(db, { flowId: big.id, after }), page));
  }
  const finding = db.prepare('SELECT id FROM findings ORDER BY evidence_total DESC LIMIT 1').pluck().get() as number | undefined;
  if (finding) out.push(time(`ladder: first page of finding ${finding}'s evidence`, () => ladderPage(db, { findingId: finding }), (r) => `${(r as { total: number }).total} arrows`));
  return out;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/test/bench/graph-bench.js <case.flowcase>\n');
    process.exit(2);
  }
  const db = openCase(file, { readonly: true });
  try {
    for (const t of graphTimings(db)) console.log(`${t.name.padEnd(62)} first ${t.firstMs.toFixed(1).padStart(7)} ms  best ${t.bestMs.toFixed(1).padStart(7)} ms  ${t.result}`);
  } finally {
    db.close();
  }
}
