import { createHash } from 'node:crypto';
import fs from 'node:fs';

export interface CaptureFingerprint { size: number; mtimeMs: number; sha256: string }

/** SHA-256 of the capture exactly as it is on disk (the compressed bytes for .gz): the evidence hash. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function fingerprint(path: string): Promise<CaptureFingerprint> {
  const st = await fs.promises.stat(path);
  return { size: st.size, mtimeMs: Math.floor(st.mtimeMs), sha256: await hashFile(path) };
}
