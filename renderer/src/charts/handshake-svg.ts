/**
 * The handshake comparison as a standalone SVG: a client's completed TCP handshake (SYN, SYN/ACK,
 * ACK) beside an attack handshake (SYN, SYN/ACK, and the ACK that never came), each arrow with its
 * packet number and time. The report embeds it (HTML inline, PDF drawn from the same markup) and the
 * evidence bundle writes it to data/figures/. Pure: no DOM, so Node and the renderer share it.
 *
 * Presentation attributes only (no style attribute, no script), so it sits inline under the
 * report's strict CSP. Every text (addresses, flags, marks) is XML-escaped.
 */
import { escapeXml } from './graph-svg';

export type ArrowTone = 'ok' | 'broken' | 'rst' | 'icmp' | 'retrans';

export interface HandshakeArrow {
  packetId: number;
  /** Seconds since the first packet of the case (the report's Time column). */
  timeSec: number;
  /** Client → server (else server → client). */
  fromClient: boolean;
  /** "SYN Seq=0 (74 B)". */
  label: string;
  /** What broke here, in words ("half-open: SYN/ACK never ACKed"), or null. */
  mark: string | null;
  tone: ArrowTone;
}

export interface HandshakeSide {
  heading: string;
  client: string;
  server: string;
  arrows: HandshakeArrow[];
  /** Packets of the conversation not drawn. */
  more: number;
  /** Draw the client's ACK that never came (the attack side). */
  missingAck: boolean;
}

export interface HandshakeFigure {
  title: string;
  completed: HandshakeSide | null;
  attack: HandshakeSide | null;
}

const TONE_COLOURS: Record<ArrowTone, string> = { ok: '#47607a', broken: '#d32f2f', rst: '#8e24aa', icmp: '#1e88e5', retrans: '#bf8700' };

export const HANDSHAKE_W = 760;
const PANEL_W = 372;
const HEAD_H = 74;
const ROW_H = 40;
const CLIENT_X = 128;
const SERVER_X = 330;
/** Arrows drawn per side; the rest are counted under the last one. */
export const MAX_HANDSHAKE_ARROWS = 6;

const num = (v: number) => (Math.round(v * 10) / 10).toString();

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function rows(side: HandshakeSide | null): number {
  if (!side) return 1;
  return Math.min(side.arrows.length, MAX_HANDSHAKE_ARROWS) + (side.missingAck ? 1 : 0) + (side.more > 0 ? 1 : 0);
}

export function handshakeHeight(f: HandshakeFigure): number {
  return HEAD_H + Math.max(rows(f.completed), rows(f.attack), 3) * ROW_H + 16;
}

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(body)}</text>`;
}

function panel(side: HandshakeSide | null, x0: number, height: number, empty: string): string[] {
  const out: string[] = [`<g class="side">`];
  if (!side) {
    out.push(text(x0 + 8, 48, empty, 'font-size="11" fill="#57606a"'), '</g>');
    return out;
  }
  const cx = x0 + CLIENT_X;
  const sx = x0 + SERVER_X;
  out.push(text(x0 + 8, 44, clip(side.heading, 58), 'font-size="11.5" font-weight="bold" fill="#1b1f24"'));
  out.push(text(cx, 60, clip(side.client, 30), 'font-size="9.5" text-anchor="middle" fill="#1b1f24"'));
  out.push(text(sx, 60, clip(side.server, 30), 'font-size="9.5" text-anchor="middle" fill="#1b1f24"'));
  out.push(text(x0 + 8, 60, 'No. / time', 'font-size="8.5" fill="#57606a"'));
  const drawnRows = Math.min(side.arrows.length, MAX_HANDSHAKE_ARROWS) + (side.missingAck ? 1 : 0);
  const lifeEnd = Math.min(height - 10, HEAD_H + drawnRows * ROW_H + 6);
  for (const x of [cx, sx]) out.push(`<line x1="${num(x)}" y1="${HEAD_H - 8}" x2="${num(x)}" y2="${num(lifeEnd)}" stroke="#8c959f" stroke-width="1" stroke-dasharray="4 3"/>`);
  let y = HEAD_H;
  const arrow = (x1: number, x2: number, yy: number, colour: string, dashed: boolean) => {
    const tip = x2 > x1 ? -1 : 1;
    const head = x2 > x1 ? `M${num(x2)},${num(yy)}L${num(x2 - 9)},${num(yy - 4.5)}L${num(x2 - 9)},${num(yy + 4.5)}Z` : `M${num(x2)},${num(yy)}L${num(x2 + 9)},${num(yy - 4.5)}L${num(x2 + 9)},${num(yy + 4.5)}Z`;
    return `<line x1="${num(x1)}" y1="${num(yy)}" x2="${num(x2 + tip * 8)}" y2="${num(yy)}" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="5 4"' : ''}/>`
      + `<path d="${head}" fill="${colour}"/>`;
  };
  for (const a of side.arrows.slice(0, MAX_HANDSHAKE_ARROWS)) {
    const yy = y + 20;
    const colour = TONE_COLOURS[a.tone];
    const [x1, x2] = a.fromClient ? [cx, sx] : [sx, cx];
    out.push(`<g class="arrow" data-packet="${a.packetId}">`);
    out.push(text(x0 + 8, yy - 3, `No. ${a.packetId}`, 'font-size="9.5" font-weight="bold" fill="#1b1f24"'));
    out.push(text(x0 + 8, yy + 9, `${a.timeSec.toFixed(6)} s`, 'font-size="9" fill="#57606a"'));
    out.push(arrow(x1, x2, yy, colour, false));
    out.push(text((cx + sx) / 2, yy - 5, clip(a.label, 40), 'font-size="9.5" text-anchor="middle" fill="#1b1f24"'));
    if (a.mark) out.push(text((cx + sx) / 2, yy + 12, clip(a.mark, 44), `font-size="8.5" text-anchor="middle" fill="${colour}"`));
    out.push('</g>');
    y += ROW_H;
  }
  if (side.missingAck) {
    const yy = y + 20;
    out.push('<g class="missing-ack">');
    out.push(arrow(cx, sx, yy, '#d32f2f', true));
    out.push(`<path d="M${num((cx + sx) / 2 - 6)},${num(yy - 6)}L${num((cx + sx) / 2 + 6)},${num(yy + 6)}M${num((cx + sx) / 2 + 6)},${num(yy - 6)}L${num((cx + sx) / 2 - 6)},${num(yy + 6)}" stroke="#d32f2f" stroke-width="2" fill="none"/>`);
    out.push(text((cx + sx) / 2, yy - 9, 'ACK never sent', 'font-size="9.5" font-weight="bold" text-anchor="middle" fill="#d32f2f"'));
    out.push(text((cx + sx) / 2, yy + 17, 'the server holds a half-open connection', 'font-size="8.5" text-anchor="middle" fill="#d32f2f"'));
    out.push(text(x0 + 8, yy + 3, 'no packet', 'font-size="9" fill="#57606a"'));
    out.push('</g>');
    y += ROW_H;
  }
  if (side.more > 0) {
    out.push(text(x0 + 8, y + 20, `… and ${side.more.toLocaleString('en-US')} more packet${side.more === 1 ? '' : 's'} in this conversation`, 'font-size="9" fill="#57606a"'));
  }
  out.push('</g>');
  return out;
}

export function renderHandshakeSvg(f: HandshakeFigure): string {
  const height = handshakeHeight(f);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${HANDSHAKE_W}" height="${height}" viewBox="0 0 ${HANDSHAKE_W} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" role="img" aria-label="${escapeXml(f.title)}">`,
    `<title>${escapeXml(f.title)}</title>`,
    `<rect x="0" y="0" width="${HANDSHAKE_W}" height="${height}" fill="#ffffff"/>`,
    text(8, 18, clip(f.title, 110), 'font-size="12" font-weight="bold" fill="#1b1f24"'),
    `<line x1="${PANEL_W + 8}" y1="30" x2="${PANEL_W + 8}" y2="${height - 6}" stroke="#d0d7de" stroke-width="1"/>`,
    ...panel(f.completed, 0, height, 'No completed client handshake with the target was captured.'),
    ...panel(f.attack, PANEL_W + 16, height, 'No attack handshake was found among the evidence.'),
    '</svg>',
  ];
  return out.join('\n') + '\n';
}
