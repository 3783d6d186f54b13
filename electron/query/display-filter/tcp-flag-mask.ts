/**
 * TCP flag tests joined by `&&` folded into one test of the flags byte:
 * `tcp.flags.syn == 1 && tcp.flags.ack == 0` (or `tcp.flags.syn && !tcp.flags.ack`) becomes
 * `(tcp_flags & 0x12) = 0x02`. The answer is the same; SQLite reads the column and tests it once a
 * packet instead of once a flag, which matters because the flood filters scan every packet.
 *
 * A negated test (`!tcp.flags.ack`, `tcp.flags.ack != 1`) is also true for packets that are not
 * TCP, so it is folded only beside a test that already requires TCP; then it simply asks for the bit
 * to be clear. Anything else (a test on the same bit both ways, a value that is not a boolean) is
 * left to the general path, which reports the mistake where it is.
 */
import { tcpFlagBit } from './fields';
import type { Node } from './parser';
import { parseBoolean } from './values';

export interface FlagMask {
  /** The bits tested, and the value they must have. */
  mask: number;
  value: number;
  /** The conjunction's other items, in their order. */
  rest: Node[];
}

interface FlagTest { bit: number; set: boolean; requiresTcp: boolean }

function boolOf(node: Extract<Node, { kind: 'compare' }>): 0 | 1 | null {
  if (node.op !== '==') return null;
  try {
    return parseBoolean(node.value);
  } catch {
    return null;
  }
}

function flagTest(node: Node): FlagTest | null {
  switch (node.kind) {
    case 'exists': {
      const bit = tcpFlagBit(node.field.name);
      return bit === undefined ? null : { bit: 1 << bit, set: true, requiresTcp: true };
    }
    case 'compare': {
      const bit = tcpFlagBit(node.field.name);
      const v = bit === undefined ? null : boolOf(node);
      return bit === undefined || v === null ? null : { bit: 1 << bit, set: v === 1, requiresTcp: true };
    }
    case 'not': {
      const inner = flagTest(node.item);
      return inner === null || !inner.requiresTcp ? null : { bit: inner.bit, set: !inner.set, requiresTcp: false };
    }
    default:
      return null;
  }
}

/** The flag tests among a conjunction's items as one mask, or null when fewer than two fold. */
export function foldTcpFlagTests(items: Node[]): FlagMask | null {
  const tests = items.map(flagTest);
  if (!tests.some((t) => t?.requiresTcp)) return null;
  let mask = 0;
  let value = 0;
  let folded = 0;
  const rest: Node[] = [];
  for (let i = 0; i < items.length; i++) {
    const t = tests[i];
    if (t === null) { rest.push(items[i]); continue; }
    if ((mask & t.bit) !== 0 && ((value & t.bit) !== 0) !== t.set) return null; // the same bit both ways
    mask |= t.bit;
    if (t.set) value |= t.bit;
    folded++;
  }
  return folded >= 2 ? { mask, value, rest } : null;
}
