/**
 * Per-case graph settings (migration 0008): the analyst's home networks and the node positions
 * they arranged. Neither touches evidence; both are how the case is looked at.
 */
import type { CaseDb } from '../../db/open-case';
import { appendCustody } from '../../db/custody';
import { ApiFailure } from '../model/api-error';
import { parseCidr, type Cidr } from './address-groups';

export const MAX_HOME_NETWORKS = 64;
export const MAX_SAVED_POSITIONS = 5000;

function hasTable(db: CaseDb, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

export function readHomeNetworks(db: CaseDb): string[] {
  if (!hasTable(db, 'home_networks')) return [];
  return (db.prepare('SELECT cidr FROM home_networks ORDER BY cidr').all() as Array<{ cidr: string }>).map((r) => r.cidr);
}

export function homeCidrs(db: CaseDb): Cidr[] {
  return readHomeNetworks(db).map((t) => parseCidr(t)).filter((c): c is Cidr => c !== null);
}

/**
 * Replaces the list; each entry must be a CIDR block ("10.20.0.0/16", "2001:db8::/48"). The change
 * goes into the custody log with the list before and after, since it changes how findings read.
 */
export function writeHomeNetworks(db: CaseDb, list: string[]): string[] {
  const parsed = list.map((text) => {
    const c = parseCidr(text);
    if (!c) throw new ApiFailure('bad-argument', `home network "${text.slice(0, 60)}" is not a CIDR block such as 10.20.0.0/16 or 2001:db8::/48`);
    return c.text;
  });
  const unique = [...new Set(parsed)].slice(0, MAX_HOME_NETWORKS);
  const now = new Date().toISOString();
  const before = readHomeNetworks(db);
  if (before.join(',') === [...unique].sort().join(',')) return before;
  db.transaction(() => {
    db.prepare('DELETE FROM home_networks').run();
    const ins = db.prepare('INSERT INTO home_networks (cidr, added_at) VALUES (?, ?)');
    for (const c of unique) ins.run(c, now);
    appendCustody(db, 'graph.home-networks.set', { before, after: [...unique].sort() });
  })();
  return readHomeNetworks(db);
}

export interface SavedPosition { x: number; y: number; pinned: boolean }

export function readPositions(db: CaseDb, nodes: readonly string[]): Record<string, SavedPosition> {
  const out: Record<string, SavedPosition> = {};
  if (!nodes.length || !hasTable(db, 'graph_positions')) return out;
  const rows = db.prepare('SELECT node, x, y, pinned FROM graph_positions WHERE node IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(nodes)) as Array<{ node: string; x: number; y: number; pinned: number }>;
  for (const r of rows) out[r.node] = { x: r.x, y: r.y, pinned: r.pinned !== 0 };
  return out;
}

/**
 * Upserts positions (the view sends the nodes it shows after a layout settles or a drag). Positions
 * are view state, like a window size: they stay out of the custody log, which would otherwise
 * record every drag.
 */
export function writePositions(db: CaseDb, positions: Array<{ node: string } & SavedPosition>): number {
  const up = db.prepare(`INSERT INTO graph_positions (node, x, y, pinned) VALUES (?, ?, ?, ?)
    ON CONFLICT(node) DO UPDATE SET x = excluded.x, y = excluded.y, pinned = excluded.pinned`);
  db.transaction(() => {
    for (const p of positions.slice(0, MAX_SAVED_POSITIONS)) up.run(p.node, p.x, p.y, p.pinned ? 1 : 0);
  })();
  return Math.min(positions.length, MAX_SAVED_POSITIONS);
}

export function clearPositions(db: CaseDb): void {
  db.prepare('DELETE FROM graph_positions').run();
}
