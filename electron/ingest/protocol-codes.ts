/**
 * The highest protocol of each packet is stored as a small integer into `protocols` rather than as
 * text on every row. The worker owns the table during a job and reports new names with each batch,
 * like the address dictionary.
 */
export class ProtocolCodes {
  private readonly ids = new Map<string, number>();
  private nextId: number;
  private pending: Array<[number, string]> = [];

  constructor(existing: Array<[number, string]> = []) {
    let max = 0;
    for (const [id, name] of existing) { this.ids.set(name, id); if (id > max) max = id; }
    this.nextId = max + 1;
  }

  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(name, id);
      this.pending.push([id, name]);
    }
    return id;
  }

  /** Names created since the last call: the writer inserts them with the batch that first uses them. */
  takeNew(): Array<[number, string]> {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
