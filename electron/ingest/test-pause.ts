/**
 * Test seam for the crash tests: FLOWCASE_TEST_PAUSE_AT=<phase> makes indexing stop at that point
 * (inside the phase's transaction), say so on stderr and wait there, so a test can kill -9 the
 * process at a known phase. Without the variable this does nothing.
 */
import fs from 'node:fs';

export function pauseForTest(phase: 'reading' | 'indexing' | 'analysing'): void {
  if (process.env.FLOWCASE_TEST_PAUSE_AT !== phase) return;
  delete process.env.FLOWCASE_TEST_PAUSE_AT; // once
  fs.writeSync(2, `FLOWCASE_TEST_PAUSED ${phase}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}
