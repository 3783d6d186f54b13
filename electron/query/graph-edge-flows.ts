/**
 * The conversations behind one graph edge: originator node → responder node, where a node is an
 * address or a /24 (/64) prefix. Fold nodes stand for many unrelated hosts and are refused.
 */
import type { CaseDb } from '../../db/open-case';
import type { FlowRow } from '../model/flow';
import { ApiFailure } from '../model/api-error';
import { parseCidr } from './address-groups';
import { flowRowFrom, flowRowsSql } from './flows';

export const EDGE_FLOW_LIMIT = 500;

/** SQL over an addrs id column for one graph node, with its parameters. */
function nodeCondition(column: string, node: string): { sql: string; params: unknown[] } {
  if (node.startsWith('others:')) {
    throw new ApiFailure('bad-argument', 'a folded "other hosts" node stands for many addresses: raise Top N or filter to list its conversations');
  }
  if (node.includes('/')) {
    const c = parseCidr(node);
    if (!c || c.bits % 8 !== 0) throw new ApiFailure('bad-argument', `"${node.slice(0, 60)}" is not a /24 or /64 group`);
    const prefix = Buffer.from(c.bytes.subarray(0, c.bits / 8));
    return { sql: `${column} IN (SELECT id FROM addrs WHERE length(bin) = ? AND substr(bin, 1, ?) = ?)`, params: [c.bytes.length, prefix.length, prefix] };
  }
  return { sql: `${column} = (SELECT id FROM addrs WHERE addr = ?)`, params: [node] };
}

export function edgeFlows(db: CaseDb, src: string, dst: string): { rows: FlowRow[]; total: number } {
  const a = nodeCondition('f.orig_id', src);
  const b = nodeCondition('f.resp_id', dst);
  const where = `${a.sql} AND ${b.sql}`;
  const params = [...a.params, ...b.params];
  const total = (db.prepare(`SELECT count(*) AS n FROM flows f WHERE ${where}`).get(...params) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM (${flowRowsSql(db)}) AS v
    WHERE v.id IN (SELECT f.id FROM flows f WHERE ${where}) ORDER BY v.firstTs, v.id LIMIT ?`)
    .safeIntegers(true).all(...params, EDGE_FLOW_LIMIT) as Array<Record<string, unknown>>;
  return { rows: rows.map(flowRowFrom), total };
}
