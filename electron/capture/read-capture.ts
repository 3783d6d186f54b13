import { open } from 'node:fs/promises';
import { GzipSource, PlainSource, type ByteSource } from './byte-source';
import { ByteWindow } from './byte-window';
import { CaptureFormatError } from './capture-format-error';
import type { CaptureParser } from './capture-parser';
import type { ReadHooks, ReadSummary } from './capture-record';
import { MAGIC_BYTES, describeHead, detectMagic } from './detect-format';
import { PcapReader } from './pcap-reader';
import { PcapngReader } from './pcapng-reader';
import { ReadErrorLog } from './read-errors';

export { CaptureFormatError } from './capture-format-error';

const DEFAULT_CHUNK = 1024 * 1024;
const MIN_CHUNK = 16;
const MAX_CHUNK = 64 * 1024 * 1024;

export interface ReadOptions {
  /** Bytes read per step (default 1 MiB); memory use is about twice this plus the largest record. */
  chunkSize?: number;
}

/**
 * Streams a pcap, pcapng or gzip-compressed capture and hands every record to `hooks.onRecord`.
 * The format is found from the first bytes, never the file name.
 *
 * Throws CaptureFormatError when the file is not a readable capture at all. Damage after the
 * header does not throw: reading stops, the records before it are kept, and the summary's
 * `errors` say where. Record `data` views are only valid during the onRecord call.
 */
export async function readCapture(path: string, hooks: ReadHooks, opts: ReadOptions = {}): Promise<ReadSummary> {
  const chunkSize = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.floor(opts.chunkSize ?? DEFAULT_CHUNK)));
  const source = await openSource(path, chunkSize);
  try {
    return await readFrom(source, path, hooks, chunkSize);
  } finally {
    await source.close();
  }
}

async function openSource(path: string, chunkSize: number): Promise<ByteSource> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b) {
      await fh.close();
      return new GzipSource(path, chunkSize);
    }
  } catch (err) {
    await fh.close();
    throw err;
  }
  return new PlainSource(fh, chunkSize);
}

async function readFrom(source: ByteSource, path: string, hooks: ReadHooks, chunkSize: number): Promise<ReadSummary> {
  const compressed = source instanceof GzipSource;
  const log = new ReadErrorLog();
  const win = new ByteWindow(chunkSize * 2);
  let parser: CaptureParser | null = null;
  let eof = false;
  let stoppedEarly = false;
  let chunkRead = false;

  for (;;) {
    let need: number;
    if (parser === null && win.available < MAGIC_BYTES && !eof) {
      need = MAGIC_BYTES;
    } else {
      parser ??= pickParser(win, path, compressed, hooks, log, source.damage);
      need = parser.parse(win, eof);
    }
    if (chunkRead) {
      // Progress (and the chance to cancel) after each chunk has been consumed.
      const go = await hooks.onChunk?.(source.fileBytesRead);
      if (go === false) {
        stoppedEarly = true;
        break;
      }
    }
    if (need === 0 || eof) {
      if (log.hasFatal) stoppedEarly = true;
      break;
    }
    win.ensureFree(Math.max(chunkSize, need - win.available));
    const n = await source.fill(win);
    chunkRead = n > 0;
    if (n === 0) {
      if (source.damage !== null) {
        if (parser === null) {
          parser = pickParser(win, path, compressed, hooks, log, source.damage);
          parser.parse(win, false);
        }
        log.fatal(
          win.offset,
          `the gzip stream is damaged or cut short after ${win.offset} bytes of capture data (${source.damage}); reading stopped here`,
        );
        stoppedEarly = true;
        break;
      }
      eof = true;
    }
  }

  const p = parser;
  return {
    format: p?.format ?? 'pcap',
    compressed,
    bigEndian: p?.bigEndian ?? false,
    interfaces: p?.interfaces ?? [],
    names: p?.names ?? [],
    sectionComments: p?.sectionComments ?? [],
    records: p?.records ?? 0,
    errors: log.finish(),
    stoppedEarly,
  };
}

function pickParser(
  win: ByteWindow,
  path: string,
  compressed: boolean,
  hooks: ReadHooks,
  log: ReadErrorLog,
  damage: string | null,
): CaptureParser {
  const head = win.buf.subarray(win.start, win.end);
  const magic = detectMagic(head.subarray(0, MAGIC_BYTES));
  if (magic.kind === 'pcap') return new PcapReader(magic, path, hooks, log);
  if (magic.kind === 'pcapng') return new PcapngReader(path, hooks, log);
  if (compressed && damage !== null) {
    throw new CaptureFormatError(`gzip-compressed, but the compressed data is damaged (${damage})`, path, 0);
  }
  const what = compressed ? 'its gzip-compressed content' : 'it';
  if (head.length === 0) {
    throw new CaptureFormatError(
      compressed ? `gzip-compressed, but the content is empty` : `the file is empty (0 bytes), not a pcap or pcapng capture`,
      path,
      0,
    );
  }
  if (head.length < MAGIC_BYTES) {
    throw new CaptureFormatError(
      `not a pcap or pcapng capture: ${what} is only ${head.length} bytes long (${describeHead(head)})`,
      path,
      0,
    );
  }
  throw new CaptureFormatError(
    `not a pcap or pcapng capture: ${what} starts with ${describeHead(head)}`,
    path,
    0,
  );
}
