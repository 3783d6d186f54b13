/**
 * What a capture reader hands to the decoder: one record per captured frame.
 * Byte order, timestamp resolution and link type are settled here, once, by the reader.
 */
export interface CaptureRecord {
  /** Interface index inside the file (pcapng: counted across sections, unique per file; pcap: 0). */
  ifIndex: number;
  /** LINKTYPE_* number of the interface that captured the frame. */
  linkType: number;
  /** Timestamp as whole seconds since the Unix epoch plus nanoseconds (0..999_999_999). */
  tsSec: number;
  tsNsec: number;
  /** Bytes captured (length of `data`) and the frame's length on the wire. */
  caplen: number;
  origLen: number;
  /** Offset of the record's header in the (decompressed) capture stream. */
  fileOffset: number;
  /** Offset of the first packet byte in the (decompressed) capture stream: what detail views read back. */
  dataOffset: number;
  /** A view of the packet bytes; valid only until the callback returns. Copy it to keep it. */
  data: Uint8Array;
  /** pcapng EPB/PB opt_comment values, if any. */
  comments?: string[];
}

export interface CaptureInterface {
  ifIndex: number;
  linkType: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** Units per second of this interface's timestamps (pcapng if_tsresol; pcap: 1e6 or 1e9). */
  tsUnitsPerSec: number;
  /** pcapng if_tsoffset, in seconds. */
  tsOffsetSec: number;
  comments: string[];
  /**
   * Bytes of frame check sequence at the end of every frame, when the file says so
   * (pcapng if_fcslen; pcap link-type field with the FCS-present bit). Absent when unknown.
   */
  fcsLen?: number;
}

/** A problem met while reading: `offset` is the byte offset in the (decompressed) stream. */
export interface ReadError {
  offset: number;
  message: string;
  /** True when reading stopped here: everything before `offset` was indexed. */
  fatal: boolean;
}

export type CaptureFormat = 'pcap' | 'pcap-nsec' | 'pcap-modified' | 'pcapng';

export interface ReadSummary {
  format: CaptureFormat;
  compressed: boolean;
  bigEndian: boolean;
  interfaces: CaptureInterface[];
  /** pcapng NRB entries: address text (IPv4/IPv6) → names. */
  names: Array<{ addr: string; name: string }>;
  /** pcapng SHB opt_comment values, in file order. */
  sectionComments: string[];
  records: number;
  errors: ReadError[];
  /** True when reading stopped early (damage or cancel) rather than at a clean end of file. */
  stoppedEarly: boolean;
}

export interface ReadHooks {
  /** Called for every record, synchronously. */
  onRecord(rec: CaptureRecord): void;
  /**
   * Called after each chunk of input is consumed, with the count of *file* bytes read so far
   * (compressed bytes for gzip input). May return a promise: reading waits for it (backpressure).
   * Return or resolve `false` to stop reading (cancel).
   */
  onChunk?(fileBytesRead: number): void | boolean | Promise<void | boolean>;
  /** Called as interfaces (pcapng IDB) appear, before any record that uses them. */
  onInterface?(iface: CaptureInterface): void;
}
