/** The selected packet's decoded tree and bytes. */
import type { PacketDetail } from '../../../electron/ipc/contract.js';
import { call, toApiError } from '../lib/api.js';

export class DetailState {
  detail = $state.raw<PacketDetail | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private gen = 0;

  async load(id: number | null): Promise<void> {
    const g = ++this.gen;
    if (id === null) {
      this.detail = null;
      this.loading = false;
      this.error = null;
      return;
    }
    this.loading = true;
    try {
      const d = await call('packet.detail', { id });
      if (g !== this.gen) return;
      this.detail = d;
      this.error = null;
    } catch (e) {
      if (g !== this.gen) return;
      this.detail = null;
      this.error = toApiError(e).message;
    } finally {
      if (g === this.gen) this.loading = false;
    }
  }
}
