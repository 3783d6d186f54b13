-- Secondary indexes. The ingest writer drops nothing: these are applied on an empty case,
-- but the bulk packet indexes below are (re)built after each bulk load by `db/bulk-indexes.ts`.
CREATE INDEX flows_by_orig ON flows(orig_id);
CREATE INDEX flows_by_resp ON flows(resp_id, resp_port);
CREATE INDEX dns_tx_by_qname ON dns_transactions(qname);
CREATE INDEX icmp_errors_by_orig ON icmp_errors(orig_dst, orig_proto, orig_dport);
CREATE INDEX annotations_by_packet ON annotations(packet_id);
