/**
 * The case id that packet links carry (renderer/src/lib/packet-link.ts): the first 32 hex digits of the hash
 * of the case's first custody entry. That entry is written when the case is created (or when an
 * older case got its log) and the log's triggers refuse any change, so the id never changes and two
 * cases never share one. Null only for a case without a custody log.
 */
import type { CaseDb } from '../../db/open-case';

export function caseLinkId(db: CaseDb): string | null {
  const hash = db.prepare('SELECT hash FROM custody ORDER BY seq LIMIT 1').pluck().get() as string | undefined;
  return hash && /^[0-9a-f]{64}$/.test(hash) ? hash.slice(0, 32) : null;
}
