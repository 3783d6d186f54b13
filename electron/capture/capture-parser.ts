import type { ByteWindow } from './byte-window';
import type { CaptureFormat, CaptureInterface } from './capture-record';

/**
 * The largest record or block a reader accepts. Real frames stay far below this (the biggest
 * link MTUs and USB transfers are well under 1 MiB); a larger length field means damage, and
 * the cap is what keeps the reader's buffer bounded.
 */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

/** What a format-specific reader exposes to the read loop in read-capture.ts. */
export interface CaptureParser {
  readonly format: CaptureFormat;
  readonly bigEndian: boolean;
  readonly interfaces: CaptureInterface[];
  readonly names: Array<{ addr: string; name: string }>;
  readonly sectionComments: string[];
  readonly records: number;
  /**
   * Delivers every whole record in the window's unconsumed bytes and advances `win.start` past
   * them. Returns how many bytes it needs from `win.start` to make progress, or 0 when it has
   * finished (clean end of input, or fatal damage recorded). With `eof` set it always returns 0,
   * recording a fatal error if the input ends inside a record.
   */
  parse(win: ByteWindow, eof: boolean): number;
}

/**
 * Record N is 1-based in messages, the way capinfos and Wireshark count frames. When the cut falls
 * inside the record's own header its full length is unknown, hence "at least".
 */
export function cutShortMessage(what: string, n: number, offset: number, missing: number, atLeast = false): string {
  return `file ends in the middle of ${what} ${n} at byte ${offset} (needs ${atLeast ? 'at least ' : ''}${missing} more bytes)`;
}
