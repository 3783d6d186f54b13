import { addressBytes } from './address-bytes';

/**
 * Addresses are stored once in `addrs` and referenced by id from packets, flows and hosts:
 * it keeps the case small and makes address filters integer comparisons.
 * The worker owns the dictionary during a job and reports new entries with each batch.
 */
export class AddressDictionary {
  private readonly ids = new Map<string, number>();
  private nextId: number;
  private pending: Array<[number, string, Uint8Array | null]> = [];

  constructor(existing: Array<[number, string]> = []) {
    let max = 0;
    for (const [id, addr] of existing) { this.ids.set(addr, id); if (id > max) max = id; }
    this.nextId = max + 1;
  }

  idOf(addr: string): number {
    let id = this.ids.get(addr);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(addr, id);
      this.pending.push([id, addr, addressBytes(addr)]);
    }
    return id;
  }

  /** The id the next new address will get. */
  get nextIdToAssign(): number {
    return this.nextId;
  }

  /** The id of an address already seen, without adding it. */
  peek(addr: string): number | undefined {
    return this.ids.get(addr);
  }

  /** Entries created since the last call: the writer inserts them with the batch that first uses them. */
  takeNew(): Array<[number, string, Uint8Array | null]> {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
