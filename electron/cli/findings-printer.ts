import type { FindingSummary } from '../model/finding';
import { formatNs, safeText } from './format';

const endpoint = (e: { addr: string; port?: number }) => (e.port !== undefined && e.port !== null ? `${e.addr}:${e.port}` : e.addr);

/** One line per finding, most severe first, as `flowcase index` and `flowcase findings` print them. */
export function printFindings(findings: FindingSummary[]): string {
  if (findings.length === 0) return 'Findings: none (no detector fired above its thresholds)';
  const lines = [`Findings (${findings.length}):`];
  for (const f of findings) {
    const src = f.sources.slice(0, 3).map(endpoint).join(', ') + (f.sources.length > 3 ? ` +${f.sources.length - 3}` : '');
    const dst = f.targets.slice(0, 3).map(endpoint).join(', ') + (f.targets.length > 3 ? ` +${f.targets.length - 3}` : '');
    lines.push(`  [${f.severity.toUpperCase()}] #${f.id} ${safeText(f.title)}`);
    lines.push(`      ${formatNs(f.startTs)} → ${formatNs(f.endTs)}  ${src || '-'} → ${dst || '-'}  evidence: ${f.evidenceTotal} packets`);
  }
  return lines.join('\n');
}
