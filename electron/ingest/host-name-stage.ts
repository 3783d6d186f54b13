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
 *
 * The end result is the one the worker's map gave: the first MAX_NAMED_ADDRS addresses, in the order
 * of their first answer, each with its first MAX_NAMES_PER_ADDR names; an address not yet in `addrs`
 * gets the next id in that order (after every packet's address), then the pcapng name resolution
 * blocks' names follow in the order they were read.
 */
export class HostNameStage {
  private readonly insSeen;
  private seq = 0;

  constructor(private readonly db: CaseDb) {
    // A TEMP table belongs to this connection: nothing is added to the case's schema, and it is gone
    // if the process dies. Its own page cache is kept small; beyond it the table spills to a temp file.
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS dns_names_seen (addr TEXT NOT NULL, name TEXT NOT NULL, seq INTEGER NOT NULL,
      PRIMARY KEY (addr, name)) WITHOUT ROWID`);
    db.exec('DELETE FROM temp.dns_names_seen');
    db.pragma('temp.cache_size = -4096');
    // The first answer naming (addr, name) keeps its sequence number: that is the order of first sight.
    this.insSeen = db.prepare('INSERT OR IGNORE INTO temp.dns_names_seen (addr, name, seq) VALUES (?, ?, ?)');
  }

  /** Names from one batch's DNS answers, in packet order (inside the batch's transaction). */
  add(names: ReadonlyArray<readonly [addr: string, name: string]>): void {
    for (const [addr, name] of names) this.insSeen.run(addr, name, this.seq++);
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
    db.exec('DROP TABLE IF EXISTS temp.named_addrs');
    db.exec('CREATE TEMP TABLE named_addrs (addr TEXT PRIMARY KEY, first INTEGER NOT NULL) WITHOUT ROWID');
    db.prepare(`INSERT INTO temp.named_addrs (addr, first)
      SELECT addr, min(seq) AS first FROM temp.dns_names_seen GROUP BY addr ORDER BY first LIMIT ?`).run(MAX_NAMED_ADDRS);
    const added = db.prepare(`INSERT INTO addrs (id, addr, bin)
      SELECT ? + row_number() OVER (ORDER BY n.first) - 1, n.addr, flowcase_address_bytes(n.addr) FROM temp.named_addrs n
      WHERE NOT EXISTS (SELECT 1 FROM addrs a WHERE a.addr = n.addr) ORDER BY n.first`).run(nextAddrId).changes;
    db.prepare(`INSERT OR IGNORE INTO host_names (addr_id, name, source)
      SELECT a.id, s.name, 'dns' FROM (
        SELECT s.addr, s.name, s.seq, n.first, row_number() OVER (PARTITION BY s.addr ORDER BY s.seq) AS rank
        FROM temp.dns_names_seen s JOIN temp.named_addrs n ON n.addr = s.addr
      ) s JOIN addrs a ON a.addr = s.addr WHERE s.rank <= ? ORDER BY s.first, s.seq`).run(MAX_NAMES_PER_ADDR);
    this.writeNrbNames(nextAddrId + added, nrbNames);
    db.exec('DROP TABLE temp.named_addrs');
    db.exec('DELETE FROM temp.dns_names_seen');
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
