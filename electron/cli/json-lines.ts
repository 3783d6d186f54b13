/**
 * JSON lines on stdout, one object per line, written in chunks and waiting for the pipe to drain:
 * a multi-million-row result streams in constant memory (`flowcase packets case --json | wc -l`).
 */
const CHUNK_CHARS = 1 << 16;

export async function writeJsonLines(rows: Iterable<unknown>, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  let chunk = '';
  let n = 0;
  const flush = async () => {
    if (chunk === '') return;
    const ok = out.write(chunk);
    chunk = '';
    if (!ok) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  for (const row of rows) {
    chunk += JSON.stringify(row) + '\n';
    n++;
    if (chunk.length >= CHUNK_CHARS) await flush();
  }
  await flush();
  return n;
}
