/**
 * Argument checks of the graph, host-panel and ladder channels (issue 9), built from validate.ts's
 * pieces: a compromised renderer must not reach these queries with anything unchecked.
 */
import type { GraphQuery, LadderQuery } from '../model/graph';
import { MAX_EDGES, MAX_TOP } from '../query/host-graph';
import { MAX_LADDER_PAGE } from '../query/ladder';
import { MAX_HOME_NETWORKS, MAX_SAVED_POSITIONS } from '../query/graph-settings';
import { arrayOf, describe, fail, id, int, LIMITS, nsString, object, oneOf, str, timeRange, type Check } from './validate';

export const address = str({ min: 1, max: 100, what: 'an address' });
const graphNode = str({ min: 1, max: 200, what: 'a graph node key' });

function finite(min: number, max: number): Check<number> {
  return (v, where) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `must be a finite number (got ${describe(v)})`);
    if (v < min || v > max) fail(where, `must be between ${min} and ${max} (got ${v})`);
    return v;
  };
}

const bool: Check<boolean> = (v, where) => {
  if (typeof v !== 'boolean') fail(where, `must be true or false (got ${describe(v)})`);
  return v;
};

const groupBits: Check<0 | 24> = (v, where) => {
  if (v !== 0 && v !== 24) fail(where, `must be 0 (no grouping) or 24 (/24 and /64) (got ${describe(v)})`);
  return v;
};

export const graphQuery: Check<GraphQuery> = timeRange(object({}, {
  filter: str({ max: LIMITS.filterChars }),
  from: nsString,
  to: nsString,
  findingId: id,
  top: int(1, MAX_TOP),
  group: groupBits,
  measure: oneOf('bytes', 'packets'),
  expand: arrayOf(graphNode, 0, 100),
  maxEdges: int(1, MAX_EDGES),
}));

export const edgeQuery = object({ src: graphNode, dst: graphNode }, {});

const coordinate = finite(-1e7, 1e7);
const savedPosition = object({ node: graphNode, x: coordinate, y: coordinate, pinned: bool }, {});
export const savePositions = object({ positions: arrayOf(savedPosition, 0, MAX_SAVED_POSITIONS) }, {});
export const homeNetworks = object({ cidrs: arrayOf(str({ min: 1, max: 60 }), 0, MAX_HOME_NETWORKS) }, {});

/** Exactly one of flowId, a + b, findingId says what the ladder shows. */
const ladderShape = object({}, { flowId: id, a: address, b: address, findingId: id, after: int(0, Number.MAX_SAFE_INTEGER), limit: int(1, MAX_LADDER_PAGE) });
export const ladderQuery: Check<LadderQuery> = (v, channel) => {
  const q = ladderShape(v, channel);
  const kinds = [q.flowId !== undefined, q.a !== undefined || q.b !== undefined, q.findingId !== undefined].filter(Boolean).length;
  if (kinds !== 1) fail(`${channel}:`, "give exactly one of 'flowId', 'a' with 'b', or 'findingId'");
  if ((q.a === undefined) !== (q.b === undefined)) fail(`${channel}:`, "a host pair needs both 'a' and 'b'");
  return q as LadderQuery;
};
