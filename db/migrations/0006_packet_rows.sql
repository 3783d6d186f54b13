-- Narrower packet rows (issue 11). The Info column is no longer stored: it is derived from the
-- packet's bytes, read back from the source capture, when a page is shown (electron/query/packet-info.ts).
-- The highest protocol becomes a small integer code into `protocols`. caplen is NULL when the frame
-- was captured whole (caplen = origlen), which is nearly always. The ts index is built only when a
-- case's timestamps do not follow packet ids (db/bulk-indexes.ts); time ranges otherwise become id ranges.

CREATE TABLE protocols (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE          -- Wireshark's name of the highest protocol decoded: TCP, DNS, TLSv1.2 ...
) STRICT;

-- Info for packets whose bytes cannot be read back cheaply: gzip captures, where reaching an offset
-- means decompressing from the start. Every other packet's Info comes from its bytes.
CREATE TABLE packet_info (
  packet_id INTEGER PRIMARY KEY,
  info      TEXT NOT NULL
) STRICT;

INSERT INTO protocols (name) SELECT DISTINCT proto FROM packets ORDER BY proto;
INSERT INTO packet_info (packet_id, info)
  SELECT p.id, p.info FROM packets p JOIN captures c ON c.id = p.capture_id WHERE c.compressed = 1;

CREATE TABLE packets_narrow (
  id          INTEGER PRIMARY KEY,   -- case-wide packet number (the "No." column)
  capture_id  INTEGER NOT NULL,
  frame_no    INTEGER NOT NULL,      -- frame number within its capture (1-based)
  if_index    INTEGER NOT NULL,
  ts_ns       INTEGER NOT NULL,
  caplen      INTEGER,               -- NULL when equal to origlen
  origlen     INTEGER NOT NULL,
  data_offset INTEGER NOT NULL,      -- offset of the packet bytes in the (decompressed) source capture
  ip_ver      INTEGER NOT NULL,      -- 0, 4 or 6
  src_id      INTEGER,               -- addrs.id
  dst_id      INTEGER,
  sport       INTEGER,               -- TCP/UDP port; ICMP type (as Zeek does)
  dport       INTEGER,               -- TCP/UDP port; ICMP code
  ip_proto    INTEGER,
  tcp_flags   INTEGER,
  proto_id    INTEGER NOT NULL,      -- protocols.id of the highest protocol decoded
  flow_id     INTEGER,
  flags       INTEGER NOT NULL       -- PKT_* bits: truncated, malformed, fragment, options, retransmission, comment
) STRICT;

INSERT INTO packets_narrow (id, capture_id, frame_no, if_index, ts_ns, caplen, origlen, data_offset, ip_ver, src_id, dst_id,
    sport, dport, ip_proto, tcp_flags, proto_id, flow_id, flags)
  SELECT p.id, p.capture_id, p.frame_no, p.if_index, p.ts_ns, nullif(p.caplen, p.origlen), p.origlen, p.data_offset, p.ip_ver,
    p.src_id, p.dst_id, p.sport, p.dport, p.ip_proto, p.tcp_flags, r.id, p.flow_id, p.flags
  FROM packets p JOIN protocols r ON r.name = p.proto ORDER BY p.id;

DROP TABLE packets;
ALTER TABLE packets_narrow RENAME TO packets;
-- A case migrated here keeps both packet indexes, as it had them; new loads decide per case.
CREATE INDEX IF NOT EXISTS packets_by_ts ON packets(ts_ns);
CREATE INDEX IF NOT EXISTS packets_by_flow ON packets(flow_id);
