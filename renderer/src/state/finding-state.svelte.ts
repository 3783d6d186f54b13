/** The open finding: its panel, and its detail (evidence, metrics, explanation) once loaded. */
import type { Finding } from '../../../electron/ipc/contract.js';
import { call, toCallError } from '../lib/api.js';
import { LatestRequest } from '../lib/latest-request.js';

export class FindingState {
  /** A finding card was clicked: the panel shows, with `detail` once it has loaded. */
  open = $state(false);
  detail = $state.raw<Finding | null>(null);
  error = $state<string | null>(null);
  /** Two quick clicks: only the newest finding's reply may fill the panel. */
  private readonly latest = new LatestRequest();

  async load(id: number): Promise<void> {
    this.open = true;
    this.error = null;
    if (this.detail?.id !== id) this.detail = null;
    await this.latest.run(
      () => call('findings.get', { id }),
      (f) => {
        this.detail = f;
      },
      (e) => {
        this.error = toCallError(e).message;
      },
    );
  }

  close(): void {
    this.latest.cancel();
    this.open = false;
    this.detail = null;
    this.error = null;
  }
}
