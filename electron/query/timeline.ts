/**
 * Timeline series for the chart. The bucket width is the smallest "nice" width that keeps the
 * range within the requested bucket count. Widths of a second or more come from the precomputed
 * `timeline` table (stored at 1 s, optionally rolled up to 60 s / 3600 s); narrower widths are
 * counted straight from `packets` through the packets_by_ts index, which is cheap because a
 * sub-second width only happens for ranges of a few minutes at most.
 *
 * All nanosecond arithmetic is BigInt: epoch nanoseconds exceed 2^53.
 */
import { caseFirstTsNs } from '../../db/case-meta';
import { packetIdRange } from '../../db/time-range';
import type { CaseDb } from '../../db/open-case';
import type { NsString } from '../model/time';
import type { PacketQuery } from '../model/packet';
import type { TimelineQuery, TimelineSeries } from '../model/timeline';
import { whereOf } from './packet-query';

const NS_PER_SEC = 1_000_000_000n;
const MAX_KEYS = 8;
const DEFAULT_BUCKETS = 400;

const SUB_SECOND_NS = [
  1_000n, 2_000n, 5_000n, 10_000n, 20_000n, 50_000n, 100_000n, 200_000n, 500_000n,
  1_000_000n, 2_000_000n, 5_000_000n, 10_000_000n, 20_000_000n, 50_000_000n, 100_000_000n, 200_000_000n, 500_000_000n,
];
const WHOLE_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400];
/** Stored resolutions, coarsest first (seconds). */
const RESOLUTIONS = [3600, 60, 1];

function* candidateWidths(): Generator<bigint> {
  yield* SUB_SECOND_NS;
  for (const s of WHOLE_SECONDS) yield BigInt(s) * NS_PER_SEC;
  // Beyond four weeks keep doubling: a capture spanning years still gets a chart.
  let w = BigInt(WHOLE_SECONDS[WHOLE_SECONDS.length - 1]) * NS_PER_SEC;
  for (;;) yield (w *= 2n);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** The smallest nice width w with at most `buckets` epoch-aligned buckets covering [from, to]. */
export function chooseWidth(from: bigint, to: bigint, buckets: number): { width: bigint; start: bigint } {
  const max = BigInt(Math.max(1, Math.floor(buckets)));
  for (const w of candidateWidths()) {
    const start = floorDiv(from, w) * w;
    if ((to - start) / w + 1n <= max) return { width: w, start };
  }
  throw new Error('unreachable: widths grow without bound');
}

interface Cell { i: number; key: string; packets: number; bytes: number }

function caseBounds(db: CaseDb): { first: string | null; last: string | null } {
  const fromCaptures = db.prepare("SELECT CAST(min(first_ts_ns) AS TEXT) AS first, CAST(max(last_ts_ns) AS TEXT) AS last, sum(status = 'indexing') AS busy FROM captures")
    .get() as { first: string | null; last: string | null; busy: number | null };
  if (fromCaptures.first !== null && fromCaptures.last !== null && !fromCaptures.busy) return { first: fromCaptures.first, last: fromCaptures.last };
  // Still indexing (captures row not final): take the bounds from what is already written.
  return db.prepare('SELECT CAST(min(ts_ns) AS TEXT) AS first, CAST(max(ts_ns) AS TEXT) AS last FROM packets').get() as { first: string | null; last: string | null };
}

// Same classes as the ingest's timeline accumulator: RST wins, then SYN(/ACK), then FIN.
const TCP_CLASS_SQL = `CASE WHEN (tcp_flags & 4) != 0 THEN 'rst'
  WHEN (tcp_flags & 2) != 0 AND (tcp_flags & 16) != 0 THEN 'synack'
  WHEN (tcp_flags & 2) != 0 THEN 'syn'
  WHEN (tcp_flags & 1) != 0 THEN 'fin'
  ELSE 'other' END`;

function cellsFromPackets(db: CaseDb, dim: 'proto' | 'tcp', from: bigint, to: bigint, start: bigint, width: bigint): Cell[] {
  const keyExpr = dim === 'proto' ? '(SELECT r.name FROM protocols r WHERE r.id = proto_id)' : TCP_CLASS_SQL;
  const tcpOnly = dim === 'tcp' ? 'AND ip_proto = 6' : '';
  const ids = packetIdRange(db, from, to);
  return db.prepare(`
    SELECT (ts_ns - ?) / ? AS i, ${keyExpr} AS key, count(*) AS packets, sum(origlen) AS bytes
    FROM packets WHERE ts_ns >= ? AND ts_ns <= ? ${tcpOnly} ${ids ? `AND id BETWEEN ${ids.first} AND ${ids.last}` : ''}
    GROUP BY i, key`).all(start, width, from, to) as Cell[];
}

function hasResolution(db: CaseDb, res: number, dim: string): boolean {
  return db.prepare('SELECT 1 FROM timeline WHERE resolution = ? AND dim = ? LIMIT 1').get(res, dim) !== undefined;
}

function cellsFromTable(db: CaseDb, res: number, dim: 'proto' | 'tcp', from: bigint, to: bigint, start: bigint, width: bigint): Cell[] {
  const resNs = BigInt(res) * NS_PER_SEC;
  const rows = db.prepare(`
    SELECT bucket, key, packets, bytes FROM timeline
    WHERE resolution = ? AND dim = ? AND bucket >= ? AND bucket <= ? AND key != 'non-tcp'`)
    .all(res, dim, floorDiv(from, resNs), floorDiv(to, resNs)) as Array<{ bucket: number; key: string; packets: number; bytes: number }>;
  const merged = new Map<string, Cell>();
  for (const r of rows) {
    const i = Number((BigInt(r.bucket) * resNs - start) / width);
    const id = `${i}\0${r.key}`;
    const cell = merged.get(id);
    if (cell) { cell.packets += r.packets; cell.bytes += r.bytes; } else merged.set(id, { i, key: r.key, packets: r.packets, bytes: r.bytes });
  }
  return [...merged.values()];
}

function emptySeries(start: NsString): TimelineSeries {
  return { widthNs: NS_PER_SEC.toString(), widthSec: 1, startNs: start, keys: [], points: [] };
}

export function timelineSeries(db: CaseDb, query: TimelineQuery): TimelineSeries {
  const bounds = (query.from === undefined || query.to === undefined) ? caseBounds(db) : { first: null, last: null };
  const fromText = query.from ?? bounds.first;
  const toText = query.to ?? bounds.last;
  if (fromText === null || toText === null) return emptySeries(fromText ?? '0');
  const from = BigInt(fromText);
  const to = BigInt(toText);
  if (to < from) return emptySeries(fromText);

  const { width, start } = chooseWidth(from, to, query.buckets ?? DEFAULT_BUCKETS);
  const cells = readCells(db, query.dim, from, to, start, width);
  const metric = query.metric === 'bytes' ? 'bytes' : 'packets';
  const { keys, otherSlot } = rankKeys(cells, metric);
  const points = stackByBucket(cells, metric, keys, otherSlot);
  const series: TimelineSeries = { widthNs: width.toString(), widthSec: Number(width) / 1e9, startNs: start.toString(), keys, points };
  const scope = scopeOfTimeline(query);
  if (scope) series.scoped = scopedCells(db, scope, metric, from, to, start, width);
  return series;
}

/** From the stored roll-up when a resolution fits the width, else counted from the packets. */
function readCells(db: CaseDb, dim: 'proto' | 'tcp', from: bigint, to: bigint, start: bigint, width: bigint): Cell[] {
  if (width >= NS_PER_SEC) {
    const widthSec = width / NS_PER_SEC;
    // The coarsest stored resolution that divides the width evenly, so buckets never straddle.
    for (const res of RESOLUTIONS) {
      if (widthSec % BigInt(res) === 0n && hasResolution(db, res, dim)) return cellsFromTable(db, res, dim, from, to, start, width);
    }
  }
  // Sub-second widths, or a case whose timeline table is not written yet.
  return cellsFromPackets(db, dim, from, to, start, width);
}

/** The MAX_KEYS largest keys by `metric`, then 'other' for the rest (its slot, or -1 when there is none). */
function rankKeys(cells: Cell[], metric: 'packets' | 'bytes'): { keys: string[]; otherSlot: number } {
  const totals = new Map<string, number>();
  for (const cell of cells) totals.set(cell.key, (totals.get(cell.key) ?? 0) + cell[metric]);
  const ranked = [...totals.entries()].filter(([key]) => key !== 'other').sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = ranked.slice(0, MAX_KEYS).map(([key]) => key);
  const needOther = totals.has('other') || ranked.length > MAX_KEYS;
  const keys = needOther ? [...kept, 'other'] : kept;
  return { keys, otherSlot: needOther ? keys.length - 1 : -1 };
}

/** One point per bucket, its values in `keys` order. */
function stackByBucket(cells: Cell[], metric: 'packets' | 'bytes', keys: string[], otherSlot: number): TimelineSeries['points'] {
  const slotOf = new Map(keys.map((key, slot) => [key, slot]));
  const byBucket = new Map<number, number[]>();
  for (const cell of cells) {
    const slot = slotOf.get(cell.key) ?? otherSlot;
    if (slot < 0) continue;
    let values = byBucket.get(cell.i);
    if (!values) byBucket.set(cell.i, (values = new Array<number>(keys.length).fill(0)));
    values[slot] += cell[metric];
  }
  return [...byBucket.entries()].sort((a, b) => a[0] - b[0]).map(([i, values]) => ({ i, values }));
}

function scopeOfTimeline(q: TimelineQuery): PacketQuery | null {
  const s: PacketQuery = {};
  if (q.scopeFilter) s.filter = q.scopeFilter;
  if (q.scopeFrom !== undefined) s.from = q.scopeFrom;
  if (q.scopeTo !== undefined) s.to = q.scopeTo;
  if (q.scopeFindingId !== undefined) s.findingId = q.scopeFindingId;
  return Object.keys(s).length ? s : null;
}

/** The scoped layer: packets (or bytes) in the scope per bucket of the chart's window. */
function scopedCells(db: CaseDb, scope: PacketQuery, metric: 'packets' | 'bytes', from: bigint, to: bigint, start: bigint,
  width: bigint): Array<{ i: number; value: number }> {
  const where = whereOf(db, scope, caseFirstTsNs(db));
  const value = metric === 'bytes' ? 'sum(p.origlen)' : 'count(*)';
  const ids = packetIdRange(db, from, to);
  return db.prepare(`SELECT (p.ts_ns - ?) / ? AS i, ${value} AS value FROM packets AS p
    WHERE p.ts_ns >= ? AND p.ts_ns <= ? ${ids ? `AND p.id BETWEEN ${ids.first} AND ${ids.last}` : ''} AND (${where.sql}) GROUP BY i ORDER BY i`)
    .all(start, width, from, to, ...where.params) as Array<{ i: number; value: number }>;
}

