#!/usr/bin/python3
"""
Generated captures for the detail-view dissection (issue 13 point 5), each small, deterministic and
checked against tshark by test/unit/decode/dissection-tshark.test.ts through the recorded tshark
view that scripts/tshark-dissection-reference.mjs writes beside it:

  icmp-errors.pcap   every ICMP and ICMPv6 error type/code, each quoting a DNS query (IP, UDP, DNS)
  dns-names.pcap     DNS opcodes, rcodes, record types and classes, named as tshark names them
  tcp-streams.pcap   a TLS 1.2 handshake (ClientHello with GREASE, cipher suites and extensions;
                     ServerHello, Certificate with two X.509 certificates and ServerHelloDone spread
                     over three TCP segments); a stream without its handshake (window scale unknown);
                     a handshake where only one side offers window scaling; unusual flag bits

  /usr/bin/python3 scripts/make-dissection-fixtures.py && node scripts/tshark-dissection-reference.mjs
"""
import os, struct
from scapy.all import Ether, IP, IPv6, TCP, UDP, ICMP, DNS, DNSQR, DNSRR, Raw, wrpcap
from scapy.layers.inet6 import ICMPv6DestUnreach, ICMPv6PacketTooBig, ICMPv6TimeExceeded, ICMPv6ParamProblem, ICMPv6EchoRequest

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'dissection')
T0 = 1714982400.0  # fixed, so the files are byte-identical on every run
MAC_A, MAC_B = '02:00:00:00:00:0a', '02:00:00:00:00:0b'

def stamp(pkts):
    for i, p in enumerate(pkts):
        p.time = T0 + i * 0.001
    return pkts

def eth(p):
    return Ether(src=MAC_A, dst=MAC_B) / p

# ---------------------------------------------------------------- ICMP errors quoting DNS queries
QTYPES = ['A', 'AAAA', 'MX', 'TXT', 'PTR', 'SRV', 'NS', 'HTTPS']
def quoted_query(n, v6=False):
    qname = 'q%d.outage.example' % n
    dns = DNS(id=0x4000 + n, rd=1, qd=DNSQR(qname=qname, qtype=QTYPES[n % len(QTYPES)]))
    if v6:
        return IPv6(src='2001:db8::10', dst='2001:db8:53::2') / UDP(sport=40000 + n, dport=53) / dns
    return IP(src='10.0.0.10', dst='203.0.113.2', id=n) / UDP(sport=40000 + n, dport=53) / dns

icmp = []
n = 0
v4_errors = [(3, c) for c in range(16)] + [(4, 0), (5, 0), (5, 1), (5, 2), (5, 3), (11, 0), (11, 1), (12, 0), (12, 1), (12, 2), (3, 99)]
for t, c in v4_errors:
    extra = {'gw': '10.0.0.254'} if t == 5 else {}
    icmp.append(eth(IP(src='198.51.100.1', dst='10.0.0.10') / ICMP(type=t, code=c, **extra) / quoted_query(n)))
    n += 1
for t, c in [(8, 0), (0, 0), (13, 0), (14, 0), (10, 0), (17, 0), (18, 0), (42, 0), (200, 3)]:
    icmp.append(eth(IP(src='10.0.0.10', dst='198.51.100.1') / ICMP(type=t, code=c, id=0x77, seq=n)))
    n += 1
v6 = []
for c in range(8):
    v6.append(ICMPv6DestUnreach(code=c))
v6 += [ICMPv6PacketTooBig(mtu=1280), ICMPv6TimeExceeded(code=0), ICMPv6TimeExceeded(code=1)]
v6 += [ICMPv6ParamProblem(code=c, ptr=40) for c in range(4)]
for m in v6:
    icmp.append(eth(IPv6(src='2001:db8:ff::1', dst='2001:db8::10') / m / quoted_query(n, v6=True)))
    n += 1
icmp.append(eth(IPv6(src='2001:db8::10', dst='2001:db8:ff::1') / ICMPv6EchoRequest(id=5, seq=1)))
# The outage itself: a query, then the resolver host's port unreachable quoting it.
q = quoted_query(99)
icmp.append(eth(q))
icmp.append(eth(IP(src='203.0.113.2', dst='10.0.0.10') / ICMP(type=3, code=3) / q))

# ---------------------------------------------------------------- DNS names
def dq(i, **kw):
    return eth(IP(src='10.0.0.10', dst='10.0.0.53') / UDP(sport=50000 + i, dport=53) / DNS(id=0x100 + i, **kw))
def dr(i, **kw):
    return eth(IP(src='10.0.0.53', dst='10.0.0.10') / UDP(sport=53, dport=50000 + i) / DNS(id=0x100 + i, qr=1, **kw))

dns = []
i = 0
for qt in ['A', 'NS', 'CNAME', 'SOA', 'PTR', 'MX', 'TXT', 'AAAA', 'SRV', 'NAPTR', 'DS', 'RRSIG', 'DNSKEY', 'SVCB', 'HTTPS', 'CAA', 'ANY', 'AXFR', 65000]:
    dns.append(dq(i, rd=1, qd=DNSQR(qname='t%d.example.com' % i, qtype=qt))); i += 1
for qc in [1, 3, 4, 254, 255, 77]:
    dns.append(dq(i, rd=1, qd=DNSQR(qname='c%d.example.com' % i, qclass=qc))); i += 1
for op in [1, 2, 4, 5, 6, 9]:
    dns.append(dq(i, opcode=op, qd=DNSQR(qname='op%d.example.com' % i))); i += 1
for rc in range(12):
    dns.append(dr(i, rd=1, ra=1, rcode=rc, qd=DNSQR(qname='r%d.example.com' % i))); i += 1
dns.append(dr(i, rd=1, ra=1, qd=DNSQR(qname='www.example.com'), an=DNSRR(rrname='www.example.com', type='A', rclass=1, ttl=300, rdata='192.0.2.80') / DNSRR(rrname='www.example.com', type='TXT', ttl=60, rdata='v=spf1 -all'))); i += 1
dns.append(dr(i, rd=1, ra=1, rcode=3, qd=DNSQR(qname='nope.example.com'))); i += 1

# ---------------------------------------------------------------- TCP streams and a TLS handshake
LEAF = bytes.fromhex('3082018a3082013002021234300a06082a8648ce3d040302304b310b3009060355040613025553311f301d060355040a0c164578616d706c65205472757374205365727669636573311b301906035504030c124578616d706c6520526f6f74204341205231301e170d3236313133303036343735335a170d3336313132373036343735335a3056310b3009060355040613024445310f300d06035504080c064265726c696e311b3019060355040a0c124578616d706c6520436f7270203c623e783c3119301706035504030c1073686f702e6578616d706c652e636f6d3059301306072a8648ce3d020106082a8648ce3d0301070342000470f870c1732b0461b83c6fbf2809bacf18d2aac9d3bf291866d5fdd63852ec48b059fde96457b6446f81bdadfd5669ced8de3b0fad103742a440bd739c6fd73d300a06082a8648ce3d040302034800304502210099dec6657db8800567915a12c57cb0e8191a544d9d483acbe30eeecb784ad3b402204141e64433f6e41ab91ec351e02b5b97eb91cd6b325a76b2f8b59c465194a3d5')
CA = bytes.fromhex('308201d73082017ea003020102020101300a06082a8648ce3d040302304b310b3009060355040613025553311f301d060355040a0c164578616d706c65205472757374205365727669636573311b301906035504030c124578616d706c6520526f6f74204341205231301e170d3236313133303036343735305a170d3336313132373036343735305a304b310b3009060355040613025553311f301d060355040a0c164578616d706c65205472757374205365727669636573311b301906035504030c124578616d706c6520526f6f742043412052313059301306072a8648ce3d020106082a8648ce3d030107034200048465203f7d2d58833344c934c55cecdfb4f2ae8ea106cb67d50f64e75ee3c71ea433f1c4aab554a9e86f683aa3cfa03d272582c08eb814ff7eb42c196bfb99bba3533051301d0603551d0e0416041479126b73bd0c9fa1dd8f476c3fe962764f68b572301f0603551d2304183016801479126b73bd0c9fa1dd8f476c3fe962764f68b572300f0603551d130101ff040530030101ff300a06082a8648ce3d04030203470030440220264c2cc5e4d49d78620e05e104e3523a77f26a46013ac1768138278bd44f53d5022034812ebce7c527f52687e24967a11c6305a209d6595c412b121e791bf1539f98')

def ext(t, data):
    return struct.pack('!HH', t, len(data)) + data
def hs(t, body):
    return bytes([t]) + struct.pack('!I', len(body))[1:] + body
def record(ct, ver, body):
    return bytes([ct]) + struct.pack('!HH', ver, len(body)) + body

sni = b'shop.example.com'
client_exts = b''.join([
    ext(0x1a1a, b''),  # GREASE
    ext(0, struct.pack('!HBH', len(sni) + 3, 0, len(sni)) + sni),
    ext(23, b''),  # extended_master_secret
    ext(65281, b'\x00'),  # renegotiation_info
    ext(10, struct.pack('!H', 8) + struct.pack('!HHHH', 0x2a2a, 29, 23, 24)),  # supported_groups
    ext(11, b'\x01\x00'),  # ec_point_formats
    ext(35, b''),  # session_ticket
    ext(16, b'\x00\x0c\x02h2\x08http/1.1'),  # ALPN
    ext(5, b'\x01\x00\x00\x00\x00'),  # status_request
    ext(13, struct.pack('!H', 8) + struct.pack('!HHHH', 0x0403, 0x0804, 0x0401, 0x0503)),  # signature_algorithms
    ext(18, b''),  # signed_certificate_timestamp
    ext(43, b'\x06\x3a\x3a\x03\x04\x03\x03'),  # supported_versions: GREASE, 1.3, 1.2
    ext(45, b'\x01\x01'),  # psk_key_exchange_modes
    ext(27, b'\x02\x00\x02'),  # compress_certificate
    ext(0xfe0d, b'\x00' * 4),  # encrypted_client_hello (unknown to older tools)
    ext(21, b'\x00' * 20),  # padding
])
suites = [0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0x00ff]
client_hello = struct.pack('!H', 0x0303) + bytes(range(32)) + b'\x20' + bytes(range(32, 64)) +     struct.pack('!H', 2 * len(suites)) + b''.join(struct.pack('!H', s) for s in suites) + b'\x01\x00' +     struct.pack('!H', len(client_exts)) + client_exts
server_exts = ext(65281, b'\x00') + ext(11, b'\x01\x00') + ext(23, b'') + ext(16, b'\x00\x03\x02h2')
server_hello = struct.pack('!H', 0x0303) + bytes(range(100, 132)) + b'\x20' + bytes(range(32, 64)) +     struct.pack('!HB', 0xc02f, 0) + struct.pack('!H', len(server_exts)) + server_exts
def cert_entry(der):
    return struct.pack('!I', len(der))[1:] + der
certs = cert_entry(LEAF) + cert_entry(CA)
certificate = struct.pack('!I', len(certs))[1:] + certs
server_flight = record(22, 0x0303, hs(2, server_hello)) + record(22, 0x0303, hs(11, certificate) + hs(14, b''))
client_flight = record(22, 0x0301, hs(1, client_hello))

C, S = '10.1.0.5', '198.51.100.20'
def c2s(sport, dport, flags, seq, ack, payload=b'', window=502, options=None):
    return eth(IP(src=C, dst=S) / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, window=window, options=options or []) / (Raw(payload) if payload else b''))
def s2c(sport, dport, flags, seq, ack, payload=b'', window=509, options=None):
    return eth(IP(src=S, dst=C) / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, window=window, options=options or []) / (Raw(payload) if payload else b''))

tcp = []
cs, ss = 3000000000, 4294967000  # the server's ISN wraps past 2^32 during the flight
tcp.append(c2s(51000, 443, 'S', cs, 0, window=64240, options=[('MSS', 1460), ('SAckOK', b''), ('NOP', None), ('WScale', 7)]))
tcp.append(s2c(443, 51000, 'SA', ss, cs + 1, window=65160, options=[('MSS', 1460), ('SAckOK', b''), ('NOP', None), ('WScale', 8)]))
tcp.append(c2s(51000, 443, 'A', cs + 1, ss + 1))
tcp.append(c2s(51000, 443, 'PA', cs + 1, ss + 1, client_flight))
cut = [0, 400, 800, len(server_flight)]
for k in range(3):
    seg = server_flight[cut[k]:cut[k + 1]]
    tcp.append(s2c(443, 51000, 'PA' if k == 2 else 'A', (ss + 1 + cut[k]) % 2**32, cs + 1 + len(client_flight), seg))
tcp.append(c2s(51000, 443, 'A', cs + 1 + len(client_flight), (ss + 1 + len(server_flight)) % 2**32))
tcp.append(c2s(51000, 443, 'FA', cs + 1 + len(client_flight), (ss + 1 + len(server_flight)) % 2**32))
# A stream captured mid-way: no handshake seen, so the window scale is unknown.
tcp.append(c2s(51001, 8080, 'PA', 777000, 888000, b'GET / HTTP/1.1\r\nHost: a\r\n\r\n', window=1024))
tcp.append(s2c(8080, 51001, 'A', 888000, 777027, window=2048))
# Only the client offers window scaling: RFC 7323 says neither side scales.
tcp.append(c2s(51002, 22, 'S', 5000, 0, window=29200, options=[('MSS', 1460), ('WScale', 7)]))
tcp.append(s2c(22, 51002, 'SA', 9000, 5001, window=28960, options=[('MSS', 1460)]))
tcp.append(c2s(51002, 22, 'A', 5001, 9001, window=229))
# Unusual flag bits: ECE+CWR on a SYN, URG with a pointer, the AE bit and a reserved bit.
tcp.append(c2s(51003, 25, 'SEC', 100, 0, window=1000))
tcp.append(c2s(51003, 25, 'AUP', 101, 200, b'!', window=1000))
odd = c2s(51003, 25, 'RA', 102, 200, window=0)
odd[TCP].reserved = 0b101
tcp.append(odd)

os.makedirs(OUT, exist_ok=True)
for name, pkts in [('icmp-errors.pcap', icmp), ('dns-names.pcap', dns), ('tcp-streams.pcap', tcp)]:
    wrpcap(os.path.join(OUT, name), stamp(pkts))
    print(name, len(pkts), 'packets')
