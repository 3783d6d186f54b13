import type Database from 'better-sqlite3';
import { compileMatchPattern, MATCHES_FUNCTION, type MatchPattern } from './compile-sql';
import { refreshContains, registerContains } from './frame-contains';

const registered = new WeakSet<Database.Database>();
const MAX_CACHED_PATTERNS = 64;

/**
 * Installs the SQL functions that compiled filters may call (`matches`, and `contains` on frame,
 * tcp and udp, which reads packet bytes back from the capture). Call once per
 * connection before running a filter's SQL; repeated calls are cheap no-ops.
 */
export function registerFilterFunctions(db: Database.Database): void {
  refreshContains(db);
  if (registered.has(db)) return;
  const cache = new Map<string, MatchPattern>();
  db.function(MATCHES_FUNCTION, { deterministic: true }, (value: unknown, pattern: unknown) => {
    if (typeof value !== 'string' || typeof pattern !== 'string') return 0;
    let re = cache.get(pattern);
    if (!re) {
      if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
      re = compileMatchPattern(pattern);
      cache.set(pattern, re);
    }
    return re.test(value) ? 1 : 0;
  });
  registerContains(db);
  registered.add(db);
}
