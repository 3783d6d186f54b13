/**
 * Test seam for the crash tests: FLOWCASE_TEST_PAUSE_AT=<phase> makes indexing stop at that point
 * (inside the phase's transaction), say so on stderr and wait there, so a test can kill -9 the
 * process at a known phase. FLOWCASE_TEST_PAUSE_MS (default 60 s) shortens the wait, so an end-to-end
 * test can hold a phase long enough to see it on screen. Without the variable this does nothing.
 */
import fs from 'node:fs';

export function pauseForTest(phase: 'reading' | 'indexing' | 'analysing'): void {
  if (process.env.FLOWCASE_TEST_PAUSE_AT !== phase) return;
  delete process.env.FLOWCASE_TEST_PAUSE_AT; // once
  fs.writeSync(2, `FLOWCASE_TEST_PAUSED ${phase}\n`);
  const ms = Number(process.env.FLOWCASE_TEST_PAUSE_MS ?? 60_000);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 60_000) : 60_000);
}
