/** The selected packet's decoded tree and bytes. */
import type { PacketDetail } from '../../../electron/ipc/contract.js';
import { call, toCallError } from '../lib/api.js';
import { LatestRequest } from '../lib/latest-request.js';

export class DetailState {
  detail = $state.raw<PacketDetail | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private readonly latest = new LatestRequest();

  async load(id: number | null): Promise<void> {
    if (id === null) {
      this.latest.cancel();
      this.detail = null;
      this.loading = false;
      this.error = null;
      return;
    }
    this.loading = true;
    const newest = await this.latest.run(
      () => call('packet.detail', { id }),
      (d) => {
        this.detail = d;
        this.error = null;
      },
      (e) => {
        this.detail = null;
        this.error = toCallError(e).message;
      },
    );
    if (newest) this.loading = false;
  }
}
