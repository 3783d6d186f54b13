import type { CaseDb } from '../../db/open-case';
import { addressBytes } from './address-bytes';

/** Addresses whose DNS names are kept, at most: the first ones named (a flood of random answers must not fill host_names). */
export const MAX_NAMED_ADDRS = 50_000;
/** Names kept per address, at most: the first ones seen. */
export const MAX_NAMES_PER_ADDR = 16;

/**
 * Host names learnt from DNS answers, staged in a temporary table as the writer commits each batch,
 * and written to `host_names` at the end of the job. The decode worker used to hold them all (a map
 * of up to 50,000 addresses, about 400 bytes each) and hand them over in one message at the end:
 * that map was what grew the reading phase's memory with the capture, and the hand-over was its peak.
 * Here the caps are applied as the names arrive (in SQL, so memory stays flat), and the end is two
 * INSERT … SELECTs.
 *
 * The end result is the one the worker's map gave: the first MAX_NAMED_ADDRS addresses, in the order
 * of their first answer, each with its first MAX_NAMES_PER_ADDR names; an address not yet in `addrs`
 * gets the next id in that order (after every packet's address), then the pcapng name resolution
 * blocks' names follow in the order they were read.
 */
export class HostNameStage {
  private readonly namesOf;
  private readonly insAddr;
  private readonly insName;
  private readonly countName;
  /** Addresses kept so far (rows of temp.named_addrs). */
  private kept = 0;
  private seq = 0;

  constructor(private readonly db: CaseDb) {
    // TEMP tables belong to this connection: nothing is added to the case's schema, and they are gone
    // if the process dies. Their own page cache is kept small; beyond it they spill to a temp file.
    // The caps are applied as names arrive, so a flood of random answers stages at most
    // MAX_NAMED_ADDRS × MAX_NAMES_PER_ADDR rows.
    db.exec('DROP TABLE IF EXISTS temp.named_addrs');
    db.exec('DROP TABLE IF EXISTS temp.dns_names_seen');
    db.exec('CREATE TEMP TABLE named_addrs (addr TEXT PRIMARY KEY, first INTEGER NOT NULL, names INTEGER NOT NULL) WITHOUT ROWID');
    db.exec('CREATE TEMP TABLE dns_names_seen (addr TEXT NOT NULL, name TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (addr, name)) WITHOUT ROWID');
    db.pragma('temp.cache_size = -4096');
    this.namesOf = db.prepare('SELECT names FROM temp.named_addrs WHERE addr = ?').pluck();
    this.insAddr = db.prepare('INSERT INTO temp.named_addrs (addr, first, names) VALUES (?, ?, 0)');
    // The first answer naming (addr, name) keeps its sequence number: that is the order of first sight.
    this.insName = db.prepare('INSERT OR IGNORE INTO temp.dns_names_seen (addr, name, seq) VALUES (?, ?, ?)');
    this.countName = db.prepare('UPDATE temp.named_addrs SET names = names + 1 WHERE addr = ?');
  }

  /** Names from one batch's DNS answers, in packet order (inside the batch's transaction). */
  add(names: ReadonlyArray<readonly [addr: string, name: string]>): void {
    for (const [addr, name] of names) {
      const seq = this.seq++;
      let count = this.namesOf.get(addr) as number | undefined;
      if (count === undefined) {
        if (this.kept >= MAX_NAMED_ADDRS) continue;
        this.insAddr.run(addr, seq);
        this.kept++;
        count = 0;
      }
      if (count < MAX_NAMES_PER_ADDR && this.insName.run(addr, name, seq).changes === 1) this.countName.run(addr);
    }
  }

  /**
   * Write the names: `nextAddrId` is the decode worker's next address id (every packet address is
   * in `addrs` by now); `nrbNames` the names read from pcapng name resolution blocks.
   */
  finish(nextAddrId: number, nrbNames: ReadonlyArray<readonly [addr: string, name: string]>): void {
    const db = this.db;
    db.function('flowcase_address_bytes', { deterministic: true }, (addr: unknown) => {
      const bytes = addressBytes(String(addr));
      return bytes ? Buffer.from(bytes) : null;
    });
    const added = db.prepare(`INSERT INTO addrs (id, addr, bin)
      SELECT ? + row_number() OVER (ORDER BY n.first) - 1, n.addr, flowcase_address_bytes(n.addr) FROM temp.named_addrs n
      WHERE NOT EXISTS (SELECT 1 FROM addrs a WHERE a.addr = n.addr) ORDER BY n.first`).run(nextAddrId).changes;
    db.prepare(`INSERT OR IGNORE INTO host_names (addr_id, name, source)
      SELECT a.id, s.name, 'dns' FROM temp.dns_names_seen s JOIN temp.named_addrs n ON n.addr = s.addr JOIN addrs a ON a.addr = s.addr
      ORDER BY n.first, s.seq`).run();
    this.writeNrbNames(nextAddrId + added, nrbNames);
    db.exec('DELETE FROM temp.named_addrs');
    db.exec('DELETE FROM temp.dns_names_seen');
    this.kept = 0;
  }

  private writeNrbNames(nextAddrId: number, nrbNames: ReadonlyArray<readonly [addr: string, name: string]>): void {
    const db = this.db;
    const idOf = db.prepare('SELECT id FROM addrs WHERE addr = ?').pluck();
    const insAddr = db.prepare('INSERT INTO addrs (id, addr, bin) VALUES (?, ?, ?)');
    const insName = db.prepare("INSERT OR IGNORE INTO host_names (addr_id, name, source) VALUES (?, ?, 'nrb')");
    let next = nextAddrId;
    for (const [addr, name] of nrbNames) {
      let id = idOf.get(addr) as number | undefined;
      if (id === undefined) {
        id = next++;
        const bytes = addressBytes(addr);
        insAddr.run(id, addr, bytes ? Buffer.from(bytes) : null);
      }
      insName.run(id, name);
    }
  }
}
