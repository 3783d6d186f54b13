/**
 * Geometry of the conversation ladder: one lifeline per endpoint column, one row per arrow, and
 * silences longer than a second drawn as a compressed band with their length written in it.
 * Pure maths, so it is tested without a browser.
 */
import type { LadderArrow, LadderMark, LadderPage } from '../../../electron/model/graph';

export const LADDER = { top: 40, row: 36, gap: 24, left: 86, column: 230, right: 420 } as const;

export interface ArrowGeometry {
  arrow: LadderArrow;
  y: number;
  x1: number;
  x2: number;
  /** Where the compressed-gap band sits above this arrow, when there is one. */
  gapY: number | null;
}

export interface LadderGeometry {
  width: number;
  height: number;
  columnX: number[];
  arrows: ArrowGeometry[];
}

export function columnX(i: number): number {
  return LADDER.left + LADDER.column / 2 + i * LADDER.column;
}

export function layoutLadder(page: Pick<LadderPage, 'columns' | 'arrows'>): LadderGeometry {
  const xs = page.columns.map((_, i) => columnX(i));
  let y = LADDER.top;
  const arrows = page.arrows.map((arrow) => {
    let gapY: number | null = null;
    if (arrow.gapBeforeSec !== null) {
      // The band sits below the previous arrow's mark line (y + 13) and above this arrow's label.
      gapY = y + 26;
      y += LADDER.gap;
    }
    y += LADDER.row;
    return { arrow, y, x1: xs[arrow.from] ?? xs[0], x2: xs[arrow.to] ?? xs[0], gapY };
  });
  const width = LADDER.left + Math.max(1, page.columns.length) * LADDER.column + LADDER.right;
  return { width, height: y + LADDER.row, columnX: xs, arrows };
}

/** What the arrow says broke, in words, for the label beside it. */
export function markText(m: LadderMark): string {
  switch (m.kind) {
    case 'unanswered-syn': return 'SYN never answered';
    case 'half-open': return 'half-open: SYN/ACK never ACKed';
    case 'rst': return 'reset (RST)';
    case 'retransmission': return `retransmission after ${formatSeconds(m.backoffSec)}`;
    case 'icmp-error': return `ICMP error quoting ${m.quoted}`;
  }
}

/** The colour class of an arrow: its worst mark. */
export function arrowClass(a: LadderArrow): 'broken' | 'rst' | 'icmp' | 'retrans' | 'ok' {
  const kinds = new Set(a.marks.map((m) => m.kind));
  if (kinds.has('unanswered-syn') || kinds.has('half-open')) return 'broken';
  if (kinds.has('rst')) return 'rst';
  if (kinds.has('icmp-error')) return 'icmp';
  if (kinds.has('retransmission')) return 'retrans';
  return 'ok';
}

export function formatSeconds(s: number): string {
  if (s >= 100) return `${s.toFixed(0)} s`;
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 0.001) return `${(s * 1000).toFixed(1)} ms`;
  return `${(s * 1e6).toFixed(0)} µs`;
}

/** "SYN Seq=0", "SYN, ACK Seq=0 Ack=1", "PSH, ACK Seq=1 Ack=1 Len=517". */
export function arrowLabel(a: LadderArrow): string {
  const parts = [a.flags];
  if (a.seq !== null) parts.push(`Seq=${a.seq}`);
  if (a.ack !== null) parts.push(`Ack=${a.ack}`);
  parts.push(`(${a.length} B)`);
  return parts.join(' ');
}
