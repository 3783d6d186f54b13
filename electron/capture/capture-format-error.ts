import { basename } from 'node:path';

/**
 * The file cannot be read as a capture at all (wrong format, unsupported version, header cut
 * short). Damage found *after* a valid header is not thrown: it becomes a ReadError in the
 * summary so that the records before it are kept.
 */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
  /** `problem` is prefixed with the file's name, so the message stands alone in a dialog or log. */
  constructor(
    problem: string,
    /** The capture file's path. */
    readonly path: string,
    /** Byte offset (in the decompressed stream) of the problem. */
    readonly offset: number = 0,
  ) {
    super(`${basename(path)}: ${problem}`);
  }
}
