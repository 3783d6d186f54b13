import { NUM_STRIDE, type PacketBatch } from './ingest-messages';

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
      protos: [], infos: [], newAddrs: [], flows: [], dns: [], dnsTx: [], http: [], tls: [], icmpErrors: [],
      arp: [], comments: [], timeline: [], fileBytesRead: 0,
    };
  }

  get full(): boolean { return this.batch.count >= this.size; }

  /** Hand over the current batch and start a new one. */
  take(): PacketBatch {
    const b = this.batch;
    this.batch = this.fresh();
    return b;
  }
}
