import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { MAX_BLOCK_BYTES } from './capture-parser';

/**
 * Reads `length` bytes at `dataOffset` of the capture stream: what a detail view shows for a
 * record (CaptureRecord.dataOffset, caplen). For gzip input the offset is in the decompressed
 * stream, so the file is decompressed from the start up to the wanted bytes.
 *
 * Throws when the file no longer holds those bytes (shortened or replaced since indexing).
 */
export async function readFrameBytes(path: string, dataOffset: number, length: number, compressed: boolean): Promise<Uint8Array> {
  if (!Number.isSafeInteger(dataOffset) || dataOffset < 0) {
    throw new RangeError(`readFrameBytes: offset must be a non-negative integer, got ${dataOffset}`);
  }
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_BLOCK_BYTES) {
    throw new RangeError(`readFrameBytes: length must be an integer from 0 to ${MAX_BLOCK_BYTES}, got ${length}`);
  }
  const out = Buffer.alloc(length);
  const got = compressed ? await readDecompressed(path, dataOffset, out) : await readPlain(path, dataOffset, out);
  if (got < length) {
    const kind = compressed ? 'its decompressed data ends' : 'the file ends';
    throw new Error(
      `${basename(path)}: needed ${length} bytes at byte ${dataOffset}, but ${kind} at byte ${dataOffset + got}; ` +
        'the capture was shortened or replaced after it was indexed: restore the original file or import it again',
    );
  }
  return out;
}

async function readPlain(path: string, offset: number, out: Buffer): Promise<number> {
  const fh = await open(path, 'r');
  try {
    let got = 0;
    while (got < out.length) {
      const { bytesRead } = await fh.read(out, got, out.length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got;
  } finally {
    await fh.close();
  }
}

async function readDecompressed(path: string, offset: number, out: Buffer): Promise<number> {
  if (out.length === 0) return 0;
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const gunzip = createGunzip({ chunkSize: 1024 * 1024 });
  file.on('error', (err) => gunzip.destroy(err));
  file.pipe(gunzip);
  let pos = 0;
  let got = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const chunkEnd = pos + chunk.length;
      if (chunkEnd > offset + got) {
        const from = offset + got - pos;
        got += chunk.copy(out, got, from, Math.min(chunk.length, from + out.length - got));
        if (got === out.length) break;
      }
      pos = chunkEnd;
    }
  } catch (err) {
    throw new Error(`${basename(path)}: cannot decompress up to byte ${offset + out.length} (${(err as Error).message}); the gzip file is damaged`);
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  return got;
}
