-- Flowcase case file, schema 1.
-- Packet bytes are never copied here: `packets.data_offset` points into the source capture.
-- Timestamps are integer nanoseconds since the Unix epoch.

CREATE TABLE case_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE captures (
  id            INTEGER PRIMARY KEY,
  path          TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  size          INTEGER NOT NULL,
  mtime_ms      INTEGER NOT NULL,
  sha256        TEXT    NOT NULL,
  format        TEXT    NOT NULL,            -- pcap | pcap-nsec | pcap-modified | pcapng | unknown
  compressed    INTEGER NOT NULL DEFAULT 0,  -- 1 for gzip
  big_endian    INTEGER NOT NULL DEFAULT 0,
  link_types    TEXT    NOT NULL DEFAULT '[]', -- JSON array of LINKTYPE numbers
  first_ts_ns   INTEGER,
  last_ts_ns    INTEGER,
  packet_count  INTEGER NOT NULL DEFAULT 0,
  byte_count    INTEGER NOT NULL DEFAULT 0,  -- sum of original lengths
  status        TEXT    NOT NULL DEFAULT 'indexing', -- indexing | complete | incomplete | failed
  imported_at   TEXT    NOT NULL
) STRICT;

CREATE TABLE interfaces (
  capture_id  INTEGER NOT NULL REFERENCES captures(id),
  if_index    INTEGER NOT NULL,
  link_type   INTEGER NOT NULL,
  snaplen     INTEGER NOT NULL,
  name        TEXT,
  description TEXT,
  ts_units_per_sec REAL NOT NULL,
  ts_offset_sec    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (capture_id, if_index)
) STRICT;

CREATE TABLE read_errors (
  id         INTEGER PRIMARY KEY,
  capture_id INTEGER NOT NULL REFERENCES captures(id),
  offset     INTEGER NOT NULL,
  message    TEXT    NOT NULL,
  fatal      INTEGER NOT NULL
) STRICT;

-- pcapng comments (SHB, IDB, EPB): they seed annotations.
CREATE TABLE capture_comments (
  id         INTEGER PRIMARY KEY,
  capture_id INTEGER NOT NULL REFERENCES captures(id),
  scope      TEXT    NOT NULL,   -- section | interface | packet
  if_index   INTEGER,
  packet_id  INTEGER,
  text       TEXT    NOT NULL
) STRICT;

-- Address dictionary: IP text (or MAC text for non-IP frames) stored once, referenced by id.
CREATE TABLE addrs (
  id   INTEGER PRIMARY KEY,
  addr TEXT NOT NULL UNIQUE,
  bin  BLOB               -- network-order bytes: 4 for IPv4, 16 for IPv6, NULL for MACs (CIDR filters)
) STRICT;
CREATE INDEX addrs_by_bin ON addrs(bin);

CREATE TABLE packets (
  id          INTEGER PRIMARY KEY,   -- case-wide packet number (the "No." column)
  capture_id  INTEGER NOT NULL,
  frame_no    INTEGER NOT NULL,      -- frame number within its capture (1-based)
  if_index    INTEGER NOT NULL,
  ts_ns       INTEGER NOT NULL,
  caplen      INTEGER NOT NULL,
  origlen     INTEGER NOT NULL,
  data_offset INTEGER NOT NULL,      -- offset of the packet bytes in the (decompressed) source capture
  ip_ver      INTEGER NOT NULL,      -- 0, 4 or 6
  src_id      INTEGER,               -- addrs.id
  dst_id      INTEGER,
  sport       INTEGER,               -- TCP/UDP port; ICMP type (as Zeek does)
  dport       INTEGER,               -- TCP/UDP port; ICMP code
  ip_proto    INTEGER,
  tcp_flags   INTEGER,
  proto       TEXT    NOT NULL,      -- highest protocol decoded
  info        TEXT    NOT NULL,
  flow_id     INTEGER,
  flags       INTEGER NOT NULL       -- PKT_* bits: truncated, malformed, fragment, options, retransmission, comment
) STRICT;

CREATE TABLE flows (
  id            INTEGER PRIMARY KEY,
  ip_proto      INTEGER NOT NULL,
  orig_id       INTEGER NOT NULL,     -- addrs.id of the originator (first packet's source)
  orig_port     INTEGER NOT NULL,     -- ICMP: type
  resp_id       INTEGER NOT NULL,
  resp_port     INTEGER NOT NULL,     -- ICMP: code
  first_ts_ns   INTEGER NOT NULL,
  last_ts_ns    INTEGER NOT NULL,
  orig_pkts     INTEGER NOT NULL,
  orig_bytes    INTEGER NOT NULL,
  resp_pkts     INTEGER NOT NULL,
  resp_bytes    INTEGER NOT NULL,
  conn_state    TEXT,                 -- Zeek conn_state for TCP: S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH
  history       TEXT,                 -- Zeek-style history letters
  syn_ts_ns     INTEGER,              -- first SYN from the originator
  synack_ts_ns  INTEGER,              -- first SYN/ACK from the responder
  ack_ts_ns     INTEGER,              -- first ACK completing the handshake
  syn_count     INTEGER NOT NULL DEFAULT 0,
  synack_count  INTEGER NOT NULL DEFAULT 0,
  rst_orig      INTEGER NOT NULL DEFAULT 0,
  rst_resp      INTEGER NOT NULL DEFAULT 0,
  service       TEXT,                 -- dns, http, tls ... when recognised
  community_id  TEXT    NOT NULL
) STRICT;

CREATE TABLE hosts (
  addr_id     INTEGER PRIMARY KEY,   -- addrs.id
  ip_ver      INTEGER NOT NULL,
  macs        TEXT    NOT NULL DEFAULT '[]', -- JSON array
  pkts_sent   INTEGER NOT NULL,
  bytes_sent  INTEGER NOT NULL,
  pkts_recv   INTEGER NOT NULL,
  bytes_recv  INTEGER NOT NULL,
  first_ts_ns INTEGER NOT NULL,
  last_ts_ns  INTEGER NOT NULL
) STRICT;

CREATE TABLE host_names (
  addr_id INTEGER NOT NULL,
  name    TEXT    NOT NULL,
  source  TEXT    NOT NULL,           -- dns | nrb
  PRIMARY KEY (addr_id, name, source)
) STRICT;

-- One row per DNS message (filters: dns.qry.name, dns.flags.rcode).
CREATE TABLE dns_messages (
  packet_id   INTEGER PRIMARY KEY,
  txid        INTEGER NOT NULL,
  is_response INTEGER NOT NULL,
  opcode      INTEGER NOT NULL,
  rcode       INTEGER NOT NULL,
  qname       TEXT    NOT NULL,
  qtype       INTEGER NOT NULL,
  answers     TEXT    NOT NULL DEFAULT '[]' -- JSON [{name,type,ttl,data}]
) STRICT;

-- Query matched with its response (by flow and transaction id).
CREATE TABLE dns_transactions (
  id                 INTEGER PRIMARY KEY,
  query_packet_id    INTEGER,
  response_packet_id INTEGER,
  flow_id            INTEGER,
  client_id          INTEGER NOT NULL,
  server_id          INTEGER NOT NULL,
  txid               INTEGER NOT NULL,
  qname              TEXT    NOT NULL,
  qtype              INTEGER NOT NULL,
  rcode              INTEGER,           -- NULL when unanswered
  answers            TEXT    NOT NULL DEFAULT '[]',
  query_ts_ns        INTEGER,
  response_ts_ns     INTEGER,
  rtt_ns             INTEGER,           -- NULL when unanswered
  status             TEXT    NOT NULL   -- answered | unanswered | response-only
) STRICT;

CREATE TABLE icmp_errors (
  packet_id   INTEGER PRIMARY KEY,
  icmp_ver    INTEGER NOT NULL,         -- 4 or 6
  type        INTEGER NOT NULL,
  code        INTEGER NOT NULL,
  reporter_id INTEGER,                  -- addrs.id of the host that sent the ICMP error
  orig_src    TEXT,
  orig_dst    TEXT,
  orig_proto  INTEGER,
  orig_sport  INTEGER,
  orig_dport  INTEGER,
  orig_flow_id INTEGER,                 -- the flow the quoted packet belongs to, when it was seen
  dns_qname   TEXT
) STRICT;

CREATE TABLE http_messages (
  packet_id  INTEGER PRIMARY KEY,
  flow_id    INTEGER,
  kind       TEXT NOT NULL,             -- request | response
  method     TEXT,
  uri        TEXT,
  version    TEXT,
  host       TEXT,
  user_agent TEXT,
  status     INTEGER,
  reason     TEXT
) STRICT;

CREATE TABLE tls_hellos (
  packet_id INTEGER PRIMARY KEY,
  flow_id   INTEGER,
  sni       TEXT,
  version   TEXT NOT NULL
) STRICT;

CREATE TABLE arp_messages (
  packet_id  INTEGER PRIMARY KEY,
  op         INTEGER NOT NULL,
  sender_mac TEXT NOT NULL,
  sender_ip  TEXT NOT NULL,
  target_mac TEXT NOT NULL,
  target_ip  TEXT NOT NULL
) STRICT;

-- Precomputed timeline. dim 'proto': key is the highest protocol; dim 'tcp': syn | synack | rst | fin | other.
-- resolution is the bucket width in seconds (1, 60, 3600); bucket = floor(ts / resolution).
CREATE TABLE timeline (
  resolution INTEGER NOT NULL,
  bucket     INTEGER NOT NULL,
  dim        TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  packets    INTEGER NOT NULL,
  bytes      INTEGER NOT NULL,
  PRIMARY KEY (resolution, dim, bucket, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE findings (
  id             INTEGER PRIMARY KEY,
  kind           TEXT    NOT NULL,
  title          TEXT    NOT NULL,
  severity       TEXT    NOT NULL,      -- info | low | medium | high | critical
  confidence     REAL    NOT NULL,      -- 0..1
  start_ts_ns    INTEGER NOT NULL,
  end_ts_ns      INTEGER NOT NULL,
  targets        TEXT    NOT NULL DEFAULT '[]',  -- JSON [{addr, port?, proto?, service?}]
  sources        TEXT    NOT NULL DEFAULT '[]',
  metrics        TEXT    NOT NULL DEFAULT '{}',
  explanation    TEXT    NOT NULL,
  affected       TEXT    NOT NULL DEFAULT '[]',
  recommendations TEXT   NOT NULL DEFAULT '[]',
  mitre          TEXT    NOT NULL DEFAULT '[]',
  evidence_total INTEGER NOT NULL,      -- exact count of packets that support the finding
  details        TEXT    NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE finding_evidence (
  finding_id INTEGER NOT NULL,
  packet_id  INTEGER NOT NULL,
  role       TEXT    NOT NULL,          -- e.g. syn, synack, rst, icmp-error, query
  PRIMARY KEY (finding_id, packet_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE finding_flows (
  finding_id INTEGER NOT NULL,
  flow_id    INTEGER NOT NULL,
  PRIMARY KEY (finding_id, flow_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE annotations (
  id         INTEGER PRIMARY KEY,
  packet_id  INTEGER,
  finding_id INTEGER,
  text       TEXT NOT NULL,
  tags       TEXT NOT NULL DEFAULT '[]',
  author     TEXT NOT NULL DEFAULT '',
  source     TEXT NOT NULL DEFAULT 'analyst',  -- analyst | pcapng-comment
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
