import { NUM_STRIDE, TEXT_SEP, type PacketBatch } from './decode-worker-messages';
import { packFlows } from './flow-pack';

/** Accumulates decoded packets column-wise; the typed arrays are transferred, not copied, to the writer. */
export class PacketBatchBuilder {
  batch: PacketBatch;

  constructor(private readonly captureId: number, private readonly size: number) {
    this.batch = this.fresh();
  }

  private fresh(): PacketBatch {
    return {
      type: 'batch', captureId: this.captureId, count: 0,
      nums: new Float64Array(this.size * NUM_STRIDE), tsNs: new BigInt64Array(this.size),
      text: '', newAddrs: [], newProtocols: [], flows: packFlows([]), dns: [], dnsTx: [], http: [], tls: [], icmpErrors: [],
      arp: [], comments: [], hostNames: [], timeline: [], fileBytesRead: 0,
    };
  }

  /** Info strings (gzip captures only), gathered here and joined once per batch (see PacketBatch.text). */
  readonly texts: string[] = [];

  get full(): boolean { return this.batch.count >= this.size; }

  /** Hand over the current batch and start a new one. */
  take(): PacketBatch {
    const b = this.batch;
    b.text = this.texts.join(TEXT_SEP);
    this.texts.length = 0;
    this.batch = this.fresh();
    return b;
  }
}
