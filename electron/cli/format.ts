/** Text formatting for the terminal. Everything printed from packets is plain text with control characters removed. */

const NS = 1_000_000_000n;

/** ISO-8601 UTC with nanoseconds, from an exact nanosecond count (bigint or decimal string). */
export function formatNs(ns: bigint | string | null | undefined): string {
  if (ns === null || ns === undefined || ns === '') return '-';
  const v = typeof ns === 'bigint' ? ns : BigInt(ns);
  const sec = v / NS, frac = v % NS;
  const iso = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  return `${iso}.${frac.toString().padStart(9, '0')}Z`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 1) return `${(seconds * 1000).toFixed(1)} ms`;
  if (seconds < 120) return `${seconds.toFixed(3)} s`;
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
  return h ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

/** Terminal-safe text: control characters (incl. ESC, which could drive the terminal) become '.'. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '.');
}

/** A plain-text table: columns padded to their widest cell (capped), the last column left unpadded. */
export function table(headers: string[], rows: Array<Array<string | number>>, maxWidth = 48): string {
  const cells = rows.map((r) => r.map((c) => safeText(String(c))));
  const widths = headers.map((h, i) => Math.min(maxWidth, Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length))));
  const fit = (s: string, w: number, last: boolean) => (last ? s : s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
  const line = (r: string[]) => r.map((c, i) => fit(c, widths[i], i === r.length - 1)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
