import type { ByteWindow } from './byte-window';
import { CaptureFormatError } from './capture-format-error';
import { MAX_BLOCK_BYTES, cutShortMessage, type CaptureParser } from './capture-parser';
import type { CaptureFormat, CaptureInterface, CaptureRecord, ReadHooks } from './capture-record';
import { linkTypeName } from './link-types';
import type { ReadErrorLog } from './read-errors';

const FILE_HEADER_BYTES = 24;
/** libpcap's own ceiling for a record (MAXIMUM_SNAPLEN); bigger only if the header's snaplen says so. */
const DEFAULT_MAX_CAPLEN = 262144;

// The link-type field (draft-ietf-opsawg-pcap §4): low 16 bits are the LINKTYPE, then 10
// reserved bits, a P bit saying the top 4 bits hold the FCS length in 16-bit words, and an R bit.
const LINKTYPE_MASK = 0x0000ffff;
const RESERVED_MASK = 0x0bff0000;
const FCS_PRESENT = 0x04000000;

export interface PcapVariant {
  bigEndian: boolean;
  nanosecond: boolean;
  /** Kuznetzov's patched libpcap (magic a1b2cd34): 8 more bytes in each record header. */
  modified: boolean;
}

/** Reads classic libpcap files: a 24-byte file header, then records of header + captured bytes. */
export class PcapReader implements CaptureParser {
  readonly format: CaptureFormat;
  readonly bigEndian: boolean;
  readonly interfaces: CaptureInterface[] = [];
  readonly names: Array<{ addr: string; name: string }> = [];
  readonly sectionComments: string[] = [];
  records = 0;

  private readonly recordHeaderBytes: number;
  private readonly unitsPerSec: number;
  private headerRead = false;
  private linkType = 0;
  private maxCaplen = DEFAULT_MAX_CAPLEN;
  /** Before version 2.3 the two length fields were written in the other order. */
  private oldLengthOrder = false;
  private notedBadFraction = false;

  constructor(
    private readonly variant: PcapVariant,
    private readonly path: string,
    private readonly hooks: ReadHooks,
    private readonly log: ReadErrorLog,
  ) {
    this.bigEndian = variant.bigEndian;
    this.format = variant.modified ? 'pcap-modified' : variant.nanosecond ? 'pcap-nsec' : 'pcap';
    this.recordHeaderBytes = variant.modified ? 24 : 16;
    this.unitsPerSec = variant.nanosecond ? 1e9 : 1e6;
  }

  parse(win: ByteWindow, eof: boolean): number {
    if (!this.headerRead) {
      if (win.available < FILE_HEADER_BYTES) {
        if (!eof) return FILE_HEADER_BYTES;
        throw new CaptureFormatError(
          `not a complete pcap file: it is only ${win.available} bytes long, shorter than the ${FILE_HEADER_BYTES}-byte pcap file header`,
          this.path,
          0,
        );
      }
      this.readFileHeader(win.buf, win.start);
      win.start += FILE_HEADER_BYTES;
    }
    return this.readRecords(win, eof);
  }

  private readFileHeader(b: Buffer, p: number): void {
    const le = !this.bigEndian;
    const major = le ? b.readUInt16LE(p + 4) : b.readUInt16BE(p + 4);
    const minor = le ? b.readUInt16LE(p + 6) : b.readUInt16BE(p + 6);
    const snaplen = le ? b.readUInt32LE(p + 16) : b.readUInt32BE(p + 16);
    const linkField = le ? b.readUInt32LE(p + 20) : b.readUInt32BE(p + 20);
    if (major !== 2) {
      throw new CaptureFormatError(
        `unsupported pcap version ${major}.${minor} in the file header at byte ${p + 4} (only version 2.x exists): the file is damaged or not a real pcap file`,
        this.path,
        p + 4,
      );
    }
    if (minor !== 4) {
      this.log.note(p + 6, `pcap file header has version 2.${minor} (expected 2.4); reading it anyway`);
    }
    this.oldLengthOrder = minor <= 3;
    this.linkType = linkField & LINKTYPE_MASK;
    if ((linkField & RESERVED_MASK) !== 0) {
      this.log.note(
        p + 20,
        `pcap link-type field 0x${linkField.toString(16).padStart(8, '0')} has reserved bits set; using link type ${this.linkType} (${linkTypeName(this.linkType)})`,
      );
    }
    this.maxCaplen = Math.min(Math.max(snaplen, DEFAULT_MAX_CAPLEN), MAX_BLOCK_BYTES);
    const iface: CaptureInterface = {
      ifIndex: 0,
      linkType: this.linkType,
      snaplen,
      tsUnitsPerSec: this.unitsPerSec,
      tsOffsetSec: 0,
      comments: [],
    };
    if ((linkField & FCS_PRESENT) !== 0) iface.fcsLen = (linkField >>> 28) * 2;
    this.interfaces.push(iface);
    this.headerRead = true;
    this.hooks.onInterface?.(iface);
  }

  private readRecords(win: ByteWindow, eof: boolean): number {
    const b = win.buf;
    const end = win.end;
    const base = win.base;
    const le = !this.bigEndian;
    const hdr = this.recordHeaderBytes;
    const unit = this.unitsPerSec;
    const toNsec = this.variant.nanosecond ? 1 : 1000;
    const linkType = this.linkType;
    const onRecord = this.hooks.onRecord;
    const hooks = this.hooks;
    let p = win.start;
    for (;;) {
      const left = end - p;
      if (left < hdr) {
        win.start = p;
        if (!eof) return hdr;
        if (left > 0) this.cutShort(base + p, hdr - left, true);
        return 0;
      }
      let tsSec = le ? b.readUInt32LE(p) : b.readUInt32BE(p);
      let frac = le ? b.readUInt32LE(p + 4) : b.readUInt32BE(p + 4);
      let caplen = le ? b.readUInt32LE(p + 8) : b.readUInt32BE(p + 8);
      let origLen = le ? b.readUInt32LE(p + 12) : b.readUInt32BE(p + 12);
      if (this.oldLengthOrder && caplen > origLen) {
        const t = caplen;
        caplen = origLen;
        origLen = t;
      }
      if (caplen > this.maxCaplen) {
        win.start = p;
        this.log.fatal(
          base + p,
          `record ${this.records + 1} at byte ${base + p} claims ${caplen} captured bytes, more than the ${this.maxCaplen} maximum: the file is damaged from here`,
        );
        return 0;
      }
      const total = hdr + caplen;
      if (left < total) {
        win.start = p;
        if (!eof) return total;
        this.cutShort(base + p, total - left);
        return 0;
      }
      if (frac >= unit) {
        // Some writers store an out-of-range fraction; carry it into the seconds.
        if (!this.notedBadFraction) {
          this.notedBadFraction = true;
          this.log.note(
            base + p + 4,
            `record ${this.records + 1} at byte ${base + p} has a sub-second field of ${frac} (not below ${unit}); carried into the seconds`,
          );
        }
        tsSec += Math.floor(frac / unit);
        frac %= unit;
      }
      const rec: CaptureRecord = {
        ifIndex: 0,
        linkType,
        tsSec,
        tsNsec: frac * toNsec,
        caplen,
        origLen,
        fileOffset: base + p,
        dataOffset: base + p + hdr,
        data: b.subarray(p + hdr, p + total),
      };
      this.records++;
      onRecord.call(hooks, rec);
      p += total;
    }
  }

  private cutShort(offset: number, missing: number, atLeast = false): void {
    this.log.fatal(offset, cutShortMessage('record', this.records + 1, offset, missing, atLeast));
  }
}
