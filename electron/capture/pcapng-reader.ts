import { ipv4Text, ipv6Text } from './address-text';
import type { ByteWindow } from './byte-window';
import { CaptureFormatError } from './capture-format-error';
import { MAX_BLOCK_BYTES, cutShortMessage, type CaptureParser } from './capture-parser';
import type { CaptureInterface, CaptureRecord, ReadHooks } from './capture-record';
import { OptionWalker } from './pcapng-options';
import type { ReadErrorLog } from './read-errors';
import { TimestampScale } from './timestamp-scale';

// Block types, draft-ietf-opsawg-pcapng §4 and §10.1.
const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2; // obsolete Packet Block, Appendix A
const SPB = 3;
const NRB = 4;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

// Option codes: §3.5 (common), §4.2 (IDB), §4.5 (NRB records).
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const IF_TSOFFSET = 14;
const NRB_IPV4 = 1;
const NRB_IPV6 = 2;

/** Caps that keep a hostile file from growing the summary without bound. */
const MAX_INTERFACES = 65536;
const MAX_NAMES = 100_000;

interface SectionInterface {
  ifIndex: number;
  linkType: number;
  snaplen: number;
  scale: TimestampScale;
}

const BLOCK_MIN_BYTES: Record<number, [string, number]> = {
  [SHB]: ['section header block', 28],
  [IDB]: ['interface description block', 20],
  [PB]: ['packet block', 32],
  [SPB]: ['simple packet block', 16],
  [NRB]: ['name resolution block', 12],
  [EPB]: ['enhanced packet block', 32],
};

/**
 * Reads pcapng: a sequence of sections (SHB, then IDBs and packet blocks), each section with its
 * own byte order and its own interface numbering. Interface indexes handed out are unique across
 * the whole file.
 */
export class PcapngReader implements CaptureParser {
  readonly format = 'pcapng' as const;
  bigEndian = false;
  readonly interfaces: CaptureInterface[] = [];
  readonly names: Array<{ addr: string; name: string }> = [];
  readonly sectionComments: string[] = [];
  records = 0;

  private le = true;
  private blocks = 0;
  private section: SectionInterface[] = [];
  private readonly opts = new OptionWalker();
  private notedNameCap = false;

  constructor(
    private readonly path: string,
    private readonly hooks: ReadHooks,
    private readonly log: ReadErrorLog,
  ) {}

  parse(win: ByteWindow, eof: boolean): number {
    const b = win.buf;
    const end = win.end;
    const base = win.base;
    let p = win.start;
    for (;;) {
      const left = end - p;
      const off = base + p;
      const n = this.blocks + 1;
      if (left < 12) {
        win.start = p;
        if (!eof) return 12;
        if (n === 1) throw this.headerTooShort(left, 28);
        if (left > 0) this.log.fatal(off, cutShortMessage('block', n, off, 12 - left, true));
        return 0;
      }
      let type: number;
      if (b[p] === 0x0a && b[p + 1] === 0x0d && b[p + 2] === 0x0d && b[p + 3] === 0x0a) {
        // §4.1: the SHB type reads the same either way; its byte-order magic sets the order.
        type = SHB;
        const magic = b.readUInt32LE(p + 8);
        if (magic === BYTE_ORDER_MAGIC) this.le = true;
        else if (magic === 0x4d3c2b1a) this.le = false;
        else {
          return this.stop(win, p, n,
            `section header block ${n} at byte ${off} has byte-order magic ${b.toString('hex', p + 8, p + 12)} instead of 1a2b3c4d or 4d3c2b1a: the file is damaged from here`);
        }
      } else {
        type = this.le ? b.readUInt32LE(p) : b.readUInt32BE(p);
      }
      const le = this.le;
      const len = le ? b.readUInt32LE(p + 4) : b.readUInt32BE(p + 4);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK_BYTES) {
        return this.stop(win, p, n,
          `block ${n} at byte ${off} (type 0x${type.toString(16)}) has length ${len}; a block length must be a multiple of 4 from 12 to ${MAX_BLOCK_BYTES}: the file is damaged from here`);
      }
      if (left < len) {
        win.start = p;
        if (!eof) return len;
        if (n === 1) throw this.headerTooShort(left, len);
        this.log.fatal(off, cutShortMessage('block', n, off, len - left));
        return 0;
      }
      const trailer = le ? b.readUInt32LE(p + len - 4) : b.readUInt32BE(p + len - 4);
      if (trailer !== len) {
        // §3.1: the total length is repeated at the end; a mismatch means we lost the framing.
        return this.stop(win, p, n,
          `block ${n} at byte ${off} gives its length as ${len} at the start but ${trailer} at the end: the file is damaged from here`);
      }
      const min = BLOCK_MIN_BYTES[type];
      if (min && len < min[1]) {
        if (type === SHB || type === IDB) {
          // Without them the following packets cannot be attributed to an interface.
          return this.stop(win, p, n, `${min[0]} ${n} at byte ${off} is only ${len} bytes long (at least ${min[1]} needed): the file is damaged from here`);
        }
        this.log.note(off, `${min[0]} ${n} at byte ${off} is only ${len} bytes long (at least ${min[1]} needed); skipped`);
      } else {
        let fatal: string | null = null;
        switch (type) {
          case SHB: fatal = this.readSectionHeader(b, p, len, off, n); break;
          case IDB: fatal = this.readInterface(b, p, len, off, n); break;
          case EPB: this.readPacket(b, p, len, base, n, true); break;
          case PB: this.readPacket(b, p, len, base, n, false); break;
          case SPB: this.readSimplePacket(b, p, len, base, n); break;
          case NRB: this.readNames(b, p, len, off, n); break;
          // ISB, DSB, custom and unknown blocks carry nothing the case file uses (§3.1: skip them).
        }
        if (fatal !== null) return this.stop(win, p, n, fatal);
      }
      this.blocks++;
      p += len;
    }
  }

  /** Damage in block n: in the file's first block it means the file cannot be read at all. */
  private stop(win: ByteWindow, p: number, n: number, message: string): number {
    if (n === 1) throw new CaptureFormatError(`not a readable pcapng file: ${message}`, this.path, win.base + p);
    win.start = p;
    this.log.fatal(win.base + p, message);
    return 0;
  }

  private headerTooShort(have: number, need: number): CaptureFormatError {
    return new CaptureFormatError(
      `not a complete pcapng file: it ends after ${have} bytes, inside its ${need}-byte section header block`,
      this.path,
      0,
    );
  }

  private readSectionHeader(b: Buffer, p: number, len: number, off: number, n: number): string | null {
    const le = this.le;
    const major = le ? b.readUInt16LE(p + 12) : b.readUInt16BE(p + 12);
    const minor = le ? b.readUInt16LE(p + 14) : b.readUInt16BE(p + 14);
    if (major !== 1) {
      return `section header block ${n} at byte ${off} has pcapng version ${major}.${minor}; only version 1.x can be read, so reading stopped here`;
    }
    if (minor !== 0) this.log.note(off + 14, `section header block ${n} at byte ${off} has pcapng version 1.${minor} (expected 1.0); reading it anyway`);
    if (n === 1) this.bigEndian = !le;
    this.section = [];
    const w = this.opts.reset(b, p + 24, p + len - 4, le);
    while (w.next()) {
      if (w.code === OPT_COMMENT) this.sectionComments.push(w.text());
    }
    if (w.overrun) this.noteOverrun(off, n);
    return null;
  }

  private readInterface(b: Buffer, p: number, len: number, off: number, n: number): string | null {
    if (this.interfaces.length >= MAX_INTERFACES) {
      return `interface description block ${n} at byte ${off} would be interface number ${MAX_INTERFACES + 1}, more than Flowcase supports: reading stopped here`;
    }
    const le = this.le;
    const iface: CaptureInterface = {
      ifIndex: this.interfaces.length,
      linkType: le ? b.readUInt16LE(p + 8) : b.readUInt16BE(p + 8),
      snaplen: le ? b.readUInt32LE(p + 12) : b.readUInt32BE(p + 12),
      tsUnitsPerSec: 1e6,
      tsOffsetSec: 0,
      comments: [],
    };
    let tsresol = 6; // §4.2: microseconds when if_tsresol is absent
    const w = this.opts.reset(b, p + 16, p + len - 4, le);
    while (w.next()) {
      switch (w.code) {
        case OPT_COMMENT: iface.comments.push(w.text()); break;
        case IF_NAME: iface.name = w.text(); break;
        case IF_DESCRIPTION: iface.description = w.text(); break;
        case IF_TSRESOL: if (w.length >= 1) tsresol = w.u8(); break;
        case IF_FCSLEN: if (w.length >= 1) iface.fcsLen = w.u8(); break;
        case IF_TSOFFSET:
          if (w.length >= 8) iface.tsOffsetSec = Number(le ? b.readBigInt64LE(w.start) : b.readBigInt64BE(w.start));
          break;
      }
    }
    if (w.overrun) this.noteOverrun(off, n);
    const scale = new TimestampScale(tsresol, iface.tsOffsetSec);
    iface.tsUnitsPerSec = scale.unitsPerSec;
    this.interfaces.push(iface);
    this.section.push({ ifIndex: iface.ifIndex, linkType: iface.linkType, snaplen: iface.snaplen, scale });
    this.hooks.onInterface?.(iface);
    return null;
  }

  /** EPB (§4.3) or the obsolete PB (Appendix A): same layout except a 16-bit interface id. */
  private readPacket(b: Buffer, p: number, len: number, base: number, n: number, enhanced: boolean): void {
    const le = this.le;
    const off = base + p;
    const id = enhanced ? (le ? b.readUInt32LE(p + 8) : b.readUInt32BE(p + 8)) : le ? b.readUInt16LE(p + 8) : b.readUInt16BE(p + 8);
    const caplen = le ? b.readUInt32LE(p + 20) : b.readUInt32BE(p + 20);
    const origLen = le ? b.readUInt32LE(p + 24) : b.readUInt32BE(p + 24);
    const iface = this.section[id];
    if (iface === undefined) {
      this.log.note(off, `packet block ${n} at byte ${off} names interface ${id}, but its section defines ${this.section.length}; skipped`);
      return;
    }
    const room = len - 32;
    if (caplen > room) {
      this.log.note(off, `packet block ${n} at byte ${off} claims ${caplen} captured bytes but holds only ${room}; skipped`);
      return;
    }
    const rec = packetRecord(iface, b, p, off, 28, caplen, origLen);
    iface.scale.apply(rec, le ? b.readUInt32LE(p + 12) : b.readUInt32BE(p + 12), le ? b.readUInt32LE(p + 16) : b.readUInt32BE(p + 16));
    const optStart = p + 28 + ((caplen + 3) & ~3);
    const optEnd = p + len - 4;
    if (optStart < optEnd) {
      const w = this.opts.reset(b, optStart, optEnd, le);
      while (w.next()) {
        if (w.code === OPT_COMMENT) (rec.comments ??= []).push(w.text());
      }
      if (w.overrun) this.noteOverrun(off, n);
    }
    this.records++;
    this.hooks.onRecord(rec);
  }

  /** SPB (§4.4): no interface id (always the section's first) and no timestamp. */
  private readSimplePacket(b: Buffer, p: number, len: number, base: number, n: number): void {
    const off = base + p;
    const iface = this.section[0];
    if (iface === undefined) {
      this.log.note(off, `simple packet block ${n} at byte ${off} comes before any interface description in its section; skipped`);
      return;
    }
    const origLen = this.le ? b.readUInt32LE(p + 8) : b.readUInt32BE(p + 8);
    const room = len - 16;
    let caplen = Math.min(origLen, room);
    if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
    this.records++;
    this.hooks.onRecord(packetRecord(iface, b, p, off, 12, caplen, origLen));
  }

  /** NRB (§4.5): records in option layout, each an address followed by NUL-separated names. */
  private readNames(b: Buffer, p: number, len: number, off: number, n: number): void {
    const w = this.opts.reset(b, p + 8, p + len - 4, this.le);
    while (w.next()) {
      const addrLen = w.code === NRB_IPV4 ? 4 : w.code === NRB_IPV6 ? 16 : 0;
      if (addrLen === 0 || w.length < addrLen) continue;
      const addr = addrLen === 4 ? ipv4Text(b, w.start) : ipv6Text(b, w.start);
      const text = b.toString('utf8', w.start + addrLen, w.start + w.length);
      for (const name of text.split('\0')) {
        if (name === '') continue;
        if (this.names.length >= MAX_NAMES) {
          if (!this.notedNameCap) this.log.note(off, `more than ${MAX_NAMES} resolved names; the rest, from block ${n} at byte ${off} on, were not kept`);
          this.notedNameCap = true;
          return;
        }
        this.names.push({ addr, name });
      }
    }
    if (w.overrun) this.noteOverrun(off, n);
  }

  private noteOverrun(off: number, n: number): void {
    this.log.note(off, `an option in block ${n} at byte ${off} runs past the end of the block; the rest of that block's options were ignored`);
  }
}

/**
 * The record for a packet block at `p` (byte `off` of the stream) whose packet data starts
 * `dataAt` bytes into the block. The timestamp is left at zero for the caller to set (SPB has none).
 */
function packetRecord(iface: SectionInterface, b: Buffer, p: number, off: number, dataAt: number, caplen: number, origLen: number): CaptureRecord {
  return {
    ifIndex: iface.ifIndex,
    linkType: iface.linkType,
    tsSec: 0,
    tsNsec: 0,
    caplen,
    origLen,
    fileOffset: off,
    dataOffset: off + dataAt,
    data: b.subarray(p + dataAt, p + dataAt + caplen),
  };
}
