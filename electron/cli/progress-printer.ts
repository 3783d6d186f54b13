import type { IngestProgress } from '../model/ingest-progress';
import { formatBytes } from './format';

/**
 * Indexing progress on stderr: a live, redrawn bar on a terminal; plain lines (every 2 s and at
 * each phase change) when stderr is a file or a pipe, so logs stay readable.
 */
export class ProgressPrinter {
  private lastLine = 0;
  private lastPhase = '';
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr, private readonly tty = !!process.stderr.isTTY) {}

  update(p: IngestProgress): void {
    const pct = p.bytesTotal > 0 ? Math.min(100, (100 * p.bytesRead) / p.bytesTotal) : 100;
    const eta = p.etaSec === null ? '' : ` ETA ${Math.ceil(p.etaSec)}s`;
    const text = `${p.phase.padEnd(9)} ${pct.toFixed(1).padStart(5)}%  ${p.packets.toLocaleString('en-US')} packets  ${p.packetsPerSec.toLocaleString('en-US')} pkt/s  ${formatBytes(p.bytesRead)}/${formatBytes(p.bytesTotal)}${eta}`;
    if (this.tty) {
      const width = 24, filled = Math.round((pct / 100) * width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\u001b[K`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (p.phase !== this.lastPhase || now - this.lastLine >= 2000) {
      this.out.write(`progress: ${text}\n`);
      this.lastLine = now;
      this.lastPhase = p.phase;
    }
  }

  done(): void {
    if (this.tty && this.drawn) this.out.write('\r\u001b[K');
  }
}
