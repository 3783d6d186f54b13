import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CaptureInterface, CaptureRecord, ReadSummary } from '../../../electron/capture/capture-record';
import { readCapture, type ReadOptions } from '../../../electron/capture/read-capture';

function findRepoRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export const repoRoot = findRepoRoot(__dirname);
/** The shared capture corpus, checked out beside the repository. */
export const capturesDir = path.resolve(repoRoot, '..', 'shared', 'captures');
export const real = (name: string): string => path.join(capturesDir, 'real', name);
export const malformed = (name: string): string => path.join(capturesDir, 'malformed', name);

/** A record with its bytes copied out (the reader's view is only valid during the callback). */
export type KeptRecord = Omit<CaptureRecord, 'data'> & { data: Buffer };

export interface ReadResult {
  summary: ReadSummary;
  records: KeptRecord[];
  interfacesSeen: CaptureInterface[];
}

export async function readAll(file: string, opts?: ReadOptions): Promise<ReadResult> {
  const records: KeptRecord[] = [];
  const interfacesSeen: CaptureInterface[] = [];
  const summary = await readCapture(
    file,
    {
      onRecord: (r) => records.push({ ...r, data: Buffer.from(r.data) }),
      onInterface: (i) => interfacesSeen.push(i),
    },
    opts,
  );
  return { summary, records, interfacesSeen };
}

let scratch: string | null = null;
/** Writes bytes to a file in a per-process temporary folder and returns its path. */
export function tempFile(name: string, bytes: Uint8Array): string {
  if (scratch === null) {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowcase-capture-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  const file = path.join(scratch, name);
  writeFileSync(file, bytes);
  return file;
}

/** "1418145369.924505488", the way tshark prints frame.time_epoch. */
export const epoch = (r: { tsSec: number; tsNsec: number }): string => `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`;
