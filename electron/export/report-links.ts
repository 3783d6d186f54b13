/**
 * Numbers in the stored report that stay linked to the case. A generated table cell is stored as
 * a token, {{finding:3:attackSyns}} or {{case:packets}}, and resolved against the case each time
 * the report is shown or exported, so "12,948 SYNs" follows the case if it is re-analysed.
 * Finalising resolves every token into the frozen text, which is what gets hashed.
 * A token that names nothing in the case is left as it is, visibly.
 */
import type { CaseDb } from '../../db/open-case';
import { n } from '../analysis/case-time';

const TOKEN = /\{\{((?:finding:\d{1,9}:[A-Za-z][A-Za-z0-9]{0,63})|(?:case:[a-z]{1,32}))\}\}/g;

export function linkToken(key: string): string {
  return `{{${key}}}`;
}

export type LinkValues = Map<string, string>;

/** Every value a token can name, read once from the case. */
export function readLinkValues(db: CaseDb): LinkValues {
  const values: LinkValues = new Map();
  const rows = db.prepare('SELECT id, metrics, evidence_total FROM findings').all() as Array<{ id: number; metrics: string; evidence_total: number }>;
  for (const r of rows) {
    values.set(`finding:${r.id}:evidenceTotal`, n(r.evidence_total));
    let metrics: Record<string, unknown> = {};
    try { metrics = JSON.parse(r.metrics) as Record<string, unknown>; } catch { /* a damaged row links to nothing */ }
    for (const [k, v] of Object.entries(metrics)) values.set(`finding:${r.id}:${k}`, typeof v === 'number' ? n(v) : String(v));
  }
  values.set('case:packets', n(db.prepare('SELECT count(*) FROM packets').pluck().get() as number));
  values.set('case:captures', n(db.prepare('SELECT count(*) FROM captures').pluck().get() as number));
  return values;
}

export function resolveLinks(markdown: string, values: LinkValues): string {
  return markdown.replace(TOKEN, (whole, key: string) => values.get(key) ?? whole);
}

export function listLinks(markdown: string): string[] {
  return [...markdown.matchAll(TOKEN)].map((m) => m[1]);
}
