-- Smaller case file (issue 11): what a row can say from itself, or from a small dictionary, is no
-- longer stored. Every column readers used keeps its name and its value: derived columns are
-- VIRTUAL generated columns (computed when read, no bytes on disk, not even a record-header byte),
-- and the HTTP text columns come through a view over the dictionary.
--
-- SQLite stores an integer in 0 bytes when it is 0 or 1, 1 byte up to 127, 2 up to 32767, 3 up to
-- 8388607, 4, 6 or 8 beyond; NULL in 0 bytes. Every stored column costs one record-header byte.
-- So: a port ≥ 32768 is stored as its signed 16-bit value (2 bytes instead of 3); a time that
-- follows another in the same row is stored as the difference (3-5 bytes instead of 8); small
-- codes whose common value is 0 share one column.

-- packets ------------------------------------------------------------------------------------------
-- frame_gap = id - frame_no: constant within a capture, 0 for a case's first capture.
-- flag_bits = flags | ip code << 8 | if_index << 10, with ip code 0 = IPv4, 1 = IPv6, 2 = neither:
--   0 for an IPv4 packet on interface 0 without PKT_* flags, the common packet.
--   (tcp_flags stays a column of its own: folded in here it saved 1 byte a packet but cost every
--   SYN/ACK filter a computed value per reference, 79 -> 138 ms for a SYN count over 1M packets.)
-- sport16/dport16: the port (ICMP type/code) as a signed 16-bit number; `& 65535` gives it back.
CREATE TABLE packets_v10 (
  id          INTEGER PRIMARY KEY,   -- case-wide packet number (the "No." column)
  capture_id  INTEGER NOT NULL,
  frame_gap   INTEGER NOT NULL,
  frame_no    INTEGER GENERATED ALWAYS AS (id - frame_gap) VIRTUAL,   -- frame number within its capture (1-based)
  if_index    INTEGER GENERATED ALWAYS AS (flag_bits >> 10) VIRTUAL,
  ts_ns       INTEGER NOT NULL,
  caplen      INTEGER,               -- NULL when equal to origlen
  origlen     INTEGER NOT NULL,
  data_offset INTEGER NOT NULL,      -- offset of the packet bytes in the (decompressed) source capture
  ip_ver      INTEGER GENERATED ALWAYS AS (CASE (flag_bits >> 8) & 3 WHEN 0 THEN 4 WHEN 1 THEN 6 ELSE 0 END) VIRTUAL,
  src_id      INTEGER,               -- addrs.id
  dst_id      INTEGER,
  sport16     INTEGER,
  dport16     INTEGER,
  sport       INTEGER GENERATED ALWAYS AS (sport16 & 65535) VIRTUAL,   -- TCP/UDP port; ICMP type (as Zeek does)
  dport       INTEGER GENERATED ALWAYS AS (dport16 & 65535) VIRTUAL,   -- TCP/UDP port; ICMP code
  ip_proto    INTEGER,
  tcp_flags   INTEGER,
  proto_id    INTEGER NOT NULL,      -- protocols.id of the highest protocol decoded
  flow_id     INTEGER,
  flag_bits   INTEGER NOT NULL,
  flags       INTEGER GENERATED ALWAYS AS (flag_bits & 255) VIRTUAL  -- PKT_* bits: truncated, malformed, fragment, options, retransmission, comment
) STRICT;

INSERT INTO packets_v10 (id, capture_id, frame_gap, ts_ns, caplen, origlen, data_offset, src_id, dst_id, sport16, dport16,
    ip_proto, tcp_flags, proto_id, flow_id, flag_bits)
  SELECT id, capture_id, id - frame_no, ts_ns, caplen, origlen, data_offset, src_id, dst_id,
    CASE WHEN sport >= 32768 THEN sport - 65536 ELSE sport END, CASE WHEN dport >= 32768 THEN dport - 65536 ELSE dport END,
    ip_proto, tcp_flags, proto_id, flow_id,
    flags | (CASE ip_ver WHEN 4 THEN 0 WHEN 6 THEN 1 ELSE 2 END << 8) | (if_index << 10)
  FROM packets ORDER BY id;

DROP TABLE packets;
ALTER TABLE packets_v10 RENAME TO packets;
CREATE INDEX packets_by_flow ON packets(flow_id);
-- packets_by_ts comes back only where the case needs it (case_meta ts_order not 'ids'): db/open-case.ts
-- calls restoreTsIndex (db/bulk-indexes.ts) after this migration, then compacts the file.

-- flows --------------------------------------------------------------------------------------------
-- The other times of a flow are stored as nanoseconds after first_ts_ns. The Community ID has been
-- computed from the row when read since schema 9's writer (query/community-id.ts): the column stays, empty.
CREATE TABLE flows_v10 (
  id            INTEGER PRIMARY KEY,
  ip_proto      INTEGER NOT NULL,
  orig_id       INTEGER NOT NULL,     -- addrs.id of the originator (first packet's source)
  orig_port16   INTEGER NOT NULL,
  orig_port     INTEGER GENERATED ALWAYS AS (orig_port16 & 65535) VIRTUAL,   -- ICMP: type
  resp_id       INTEGER NOT NULL,
  resp_port     INTEGER NOT NULL,     -- ICMP: code
  first_ts_ns   INTEGER NOT NULL,
  last_dt       INTEGER NOT NULL,
  last_ts_ns    INTEGER GENERATED ALWAYS AS (first_ts_ns + last_dt) VIRTUAL,
  orig_pkts     INTEGER NOT NULL,
  orig_bytes    INTEGER NOT NULL,
  resp_pkts     INTEGER NOT NULL,
  resp_bytes    INTEGER NOT NULL,
  conn_state    TEXT,                 -- Zeek conn_state for TCP: S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH
  history       TEXT,                 -- Zeek-style history letters
  syn_dt        INTEGER,
  synack_dt     INTEGER,
  ack_dt        INTEGER,
  syn_ts_ns     INTEGER GENERATED ALWAYS AS (first_ts_ns + syn_dt) VIRTUAL,      -- first SYN from the originator
  synack_ts_ns  INTEGER GENERATED ALWAYS AS (first_ts_ns + synack_dt) VIRTUAL,   -- first SYN/ACK from the responder
  ack_ts_ns     INTEGER GENERATED ALWAYS AS (first_ts_ns + ack_dt) VIRTUAL,      -- first ACK completing the handshake
  syn_count     INTEGER NOT NULL DEFAULT 0,
  synack_count  INTEGER NOT NULL DEFAULT 0,
  rst_orig      INTEGER NOT NULL DEFAULT 0,
  rst_resp      INTEGER NOT NULL DEFAULT 0,
  service       TEXT,                 -- dns, http, tls ... when recognised
  community_id  TEXT GENERATED ALWAYS AS ('') VIRTUAL
) STRICT;

INSERT INTO flows_v10 (id, ip_proto, orig_id, orig_port16, resp_id, resp_port, first_ts_ns, last_dt, orig_pkts, orig_bytes,
    resp_pkts, resp_bytes, conn_state, history, syn_dt, synack_dt, ack_dt, syn_count, synack_count, rst_orig, rst_resp, service)
  SELECT id, ip_proto, orig_id, CASE WHEN orig_port >= 32768 THEN orig_port - 65536 ELSE orig_port END, resp_id, resp_port,
    first_ts_ns, last_ts_ns - first_ts_ns, orig_pkts, orig_bytes, resp_pkts, resp_bytes, conn_state, history,
    syn_ts_ns - first_ts_ns, synack_ts_ns - first_ts_ns, ack_ts_ns - first_ts_ns, syn_count, synack_count, rst_orig, rst_resp, service
  FROM flows ORDER BY id;

DROP TABLE flows;
ALTER TABLE flows_v10 RENAME TO flows;
CREATE INDEX flows_by_orig ON flows(orig_id);
CREATE INDEX flows_by_resp ON flows(resp_id, resp_port);

-- HTTP messages ------------------------------------------------------------------------------------
-- Header values repeat (a few hosts, user agents, methods, versions and reasons across thousands of
-- messages): each distinct value is stored once in http_values and the row keeps its id. The URI,
-- mostly distinct, stays in the row. `http_messages` is a view with the columns it always had;
-- inserting into it (the trigger below) still works, the ingest writer fills http_rows directly.
CREATE TABLE http_values (
  id    INTEGER PRIMARY KEY,
  value TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE http_rows (
  packet_id     INTEGER PRIMARY KEY,
  flow_id       INTEGER,
  is_response   INTEGER NOT NULL,       -- 0 request, 1 response
  method_id     INTEGER,                -- http_values.id
  uri           TEXT,
  version_id    INTEGER,
  host_id       INTEGER,
  user_agent_id INTEGER,
  status        INTEGER,
  reason_id     INTEGER
) STRICT;

INSERT INTO http_values (value)
  SELECT method FROM http_messages WHERE method IS NOT NULL UNION SELECT version FROM http_messages WHERE version IS NOT NULL
  UNION SELECT host FROM http_messages WHERE host IS NOT NULL UNION SELECT user_agent FROM http_messages WHERE user_agent IS NOT NULL
  UNION SELECT reason FROM http_messages WHERE reason IS NOT NULL;

INSERT INTO http_rows (packet_id, flow_id, is_response, method_id, uri, version_id, host_id, user_agent_id, status, reason_id)
  SELECT h.packet_id, h.flow_id, h.kind = 'response',
    (SELECT id FROM http_values WHERE value = h.method), h.uri, (SELECT id FROM http_values WHERE value = h.version),
    (SELECT id FROM http_values WHERE value = h.host), (SELECT id FROM http_values WHERE value = h.user_agent), h.status,
    (SELECT id FROM http_values WHERE value = h.reason)
  FROM http_messages h ORDER BY h.packet_id;

DROP TABLE http_messages;

CREATE VIEW http_messages AS
  SELECT h.packet_id AS packet_id, h.flow_id AS flow_id,
    CASE h.is_response WHEN 0 THEN 'request' ELSE 'response' END AS kind,
    (SELECT v.value FROM http_values v WHERE v.id = h.method_id) AS method,
    h.uri AS uri,
    (SELECT v.value FROM http_values v WHERE v.id = h.version_id) AS version,
    (SELECT v.value FROM http_values v WHERE v.id = h.host_id) AS host,
    (SELECT v.value FROM http_values v WHERE v.id = h.user_agent_id) AS user_agent,
    h.status AS status,
    (SELECT v.value FROM http_values v WHERE v.id = h.reason_id) AS reason
  FROM http_rows h;

CREATE TRIGGER http_messages_insert INSTEAD OF INSERT ON http_messages
BEGIN
  INSERT OR IGNORE INTO http_values (value)
    SELECT value FROM (SELECT NEW.method AS value UNION ALL SELECT NEW.version UNION ALL SELECT NEW.host
      UNION ALL SELECT NEW.user_agent UNION ALL SELECT NEW.reason) WHERE value IS NOT NULL;
  INSERT INTO http_rows (packet_id, flow_id, is_response, method_id, uri, version_id, host_id, user_agent_id, status, reason_id)
    VALUES (NEW.packet_id, NEW.flow_id, NEW.kind = 'response',
      (SELECT id FROM http_values WHERE value = NEW.method), NEW.uri, (SELECT id FROM http_values WHERE value = NEW.version),
      (SELECT id FROM http_values WHERE value = NEW.host), (SELECT id FROM http_values WHERE value = NEW.user_agent), NEW.status,
      (SELECT id FROM http_values WHERE value = NEW.reason));
END;

CREATE TRIGGER http_messages_delete INSTEAD OF DELETE ON http_messages
BEGIN
  DELETE FROM http_rows WHERE packet_id = OLD.packet_id;
END;

-- DNS transactions -----------------------------------------------------------------------------------
-- Stored once: the answers without the owner name when it is the query name (nearly always), as
-- [type, ttl, data] or [type, ttl, data, name]; rtt_ns and status follow from the other columns.
-- `dns_transactions` is a view giving the columns, and the answers JSON, as before. No reader looks a
-- transaction up by name, so its qname index goes (dns.qry.name filters read dns_messages).
CREATE TABLE dns_tx_rows (
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
  answers            TEXT    NOT NULL DEFAULT '[]', -- JSON [[type, ttl, data(, name when not qname)], ...]
  query_ts_ns        INTEGER,
  response_ts_ns     INTEGER
) STRICT;

INSERT INTO dns_tx_rows (id, query_packet_id, response_packet_id, flow_id, client_id, server_id, txid, qname, qtype, rcode,
    answers, query_ts_ns, response_ts_ns)
  SELECT t.id, t.query_packet_id, t.response_packet_id, t.flow_id, t.client_id, t.server_id, t.txid, t.qname, t.qtype, t.rcode,
    (SELECT json_group_array(CASE WHEN json_extract(a.value, '$.name') IS t.qname
        THEN json_array(json_extract(a.value, '$.type'), json_extract(a.value, '$.ttl'), json_extract(a.value, '$.data'))
        ELSE json_array(json_extract(a.value, '$.type'), json_extract(a.value, '$.ttl'), json_extract(a.value, '$.data'), json_extract(a.value, '$.name')) END)
      FROM json_each(t.answers) a),
    t.query_ts_ns, t.response_ts_ns
  FROM dns_transactions t ORDER BY t.id;

DROP INDEX IF EXISTS dns_tx_by_qname;
DROP TABLE dns_transactions;

CREATE VIEW dns_transactions AS
  SELECT t.id AS id, t.query_packet_id AS query_packet_id, t.response_packet_id AS response_packet_id, t.flow_id AS flow_id,
    t.client_id AS client_id, t.server_id AS server_id, t.txid AS txid, t.qname AS qname, t.qtype AS qtype, t.rcode AS rcode,
    (SELECT json_group_array(json_object('name', coalesce(json_extract(a.value, '$[3]'), t.qname), 'type', json_extract(a.value, '$[0]'),
        'ttl', json_extract(a.value, '$[1]'), 'data', json_extract(a.value, '$[2]')))
      FROM json_each(t.answers) a) AS answers,
    t.query_ts_ns AS query_ts_ns, t.response_ts_ns AS response_ts_ns,
    t.response_ts_ns - t.query_ts_ns AS rtt_ns,        -- NULL unless both were seen
    CASE WHEN t.query_packet_id IS NULL THEN 'response-only' WHEN t.response_packet_id IS NULL THEN 'unanswered' ELSE 'answered' END AS status
  FROM dns_tx_rows t;

CREATE TRIGGER dns_transactions_insert INSTEAD OF INSERT ON dns_transactions
BEGIN
  INSERT INTO dns_tx_rows (id, query_packet_id, response_packet_id, flow_id, client_id, server_id, txid, qname, qtype, rcode,
      answers, query_ts_ns, response_ts_ns)
    VALUES (NEW.id, NEW.query_packet_id, NEW.response_packet_id, NEW.flow_id, NEW.client_id, NEW.server_id, NEW.txid, NEW.qname,
      NEW.qtype, NEW.rcode,
      (SELECT json_group_array(CASE WHEN json_extract(a.value, '$.name') IS NEW.qname
          THEN json_array(json_extract(a.value, '$.type'), json_extract(a.value, '$.ttl'), json_extract(a.value, '$.data'))
          ELSE json_array(json_extract(a.value, '$.type'), json_extract(a.value, '$.ttl'), json_extract(a.value, '$.data'), json_extract(a.value, '$.name')) END)
        FROM json_each(coalesce(NEW.answers, '[]')) a),
      NEW.query_ts_ns, NEW.response_ts_ns);
END;

CREATE TRIGGER dns_transactions_delete INSTEAD OF DELETE ON dns_transactions
BEGIN
  DELETE FROM dns_tx_rows WHERE id = OLD.id;
END;

-- Host names ----------------------------------------------------------------------------------------
-- The primary key is the whole row: kept as the table itself (WITHOUT ROWID) instead of a rowid
-- table plus an index holding the same three columns again.
CREATE TABLE host_names_v10 (
  addr_id INTEGER NOT NULL,
  name    TEXT    NOT NULL,
  source  TEXT    NOT NULL,           -- dns | nrb
  PRIMARY KEY (addr_id, name, source)
) STRICT, WITHOUT ROWID;
INSERT INTO host_names_v10 (addr_id, name, source) SELECT addr_id, name, source FROM host_names;
DROP TABLE host_names;
ALTER TABLE host_names_v10 RENAME TO host_names;
