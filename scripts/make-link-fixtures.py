#!/usr/bin/python3
"""
Generated captures for the link and tunnel decoders (issue 11): PPP (LINKTYPE_PPP 9), PPP in HDLC-like
framing (LINKTYPE_PPP_HDLC 50), PPPoE discovery and session, GRE (with key/sequence, transparent
Ethernet bridging, ERSPAN type II), VXLAN (UDP 4789) and MPLS (one and two labels, and MPLS in GRE).
Writes test/fixtures/links/*.pcap, and, when tshark is installed, tshark's view of each packet to
test/fixtures/links/<name>.tshark.json (the innermost addresses and ports, as tshark's columns
show them), which test/unit/decode/link-decoders.test.ts compares against without needing tshark.

  /usr/bin/python3 scripts/make-link-fixtures.py       (scapy from the Debian python3-scapy package)
"""
import json, os, shutil, subprocess, sys
from scapy.all import ARP, Ether, IP, IPv6, TCP, UDP, ICMP, DNS, DNSQR, Raw, GRE, PPP, PPPoE, PPPoED, wrpcap, Dot1Q
from scapy.layers.ppp import HDLC, PPP_LCP, PPP_LCP_Configure, PPP_LCP_MRU_Option, PPP_LCP_Magic_Number_Option, PPP_IPCP, PPP_IPCP_Option_IPAddress
from scapy.layers.vxlan import VXLAN
from scapy.contrib.mpls import MPLS
from scapy.contrib.erspan import ERSPAN_II

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'links')
T0 = 1714982400.0  # 2024-05-06 08:00:00 UTC, fixed so the files are byte-identical on every run
MAC_A, MAC_B = '02:00:00:00:00:0a', '02:00:00:00:00:0b'

def stamp(pkts):
    for i, p in enumerate(pkts):
        p.time = T0 + i * 0.001
    return pkts

def tcp(sport, dport, flags='S', payload=b''):
    return TCP(sport=sport, dport=dport, flags=flags, seq=1000, ack=0 if flags == 'S' else 5000) / (Raw(payload) if payload else b'')

def dns_query(name):
    return UDP(sport=53000, dport=53) / DNS(id=0x1234, rd=1, qd=DNSQR(qname=name))

captures = {}

# LINKTYPE_PPP (9): address/control bytes present or compressed away, then the PPP protocol.
captures['ppp.pcap'] = (9, [
    PPP(proto=0x0021) / IP(src='10.0.0.1', dst='10.0.0.2') / tcp(40000, 80),
    PPP(proto=0x0057) / IPv6(src='2001:db8::1', dst='2001:db8::2') / dns_query('example.com'),
    PPP(proto=0xc021) / PPP_LCP_Configure(code=1, id=1, options=[PPP_LCP_MRU_Option(max_recv_unit=1492), PPP_LCP_Magic_Number_Option(magic_number=0x12345678)]),
    PPP(proto=0x8021) / PPP_IPCP(code=1, id=2, options=[PPP_IPCP_Option_IPAddress(data='10.0.0.1')]),
])
# LINKTYPE_PPP_HDLC (50): HDLC-like framing, 0xff 0x03 then the protocol.
captures['ppp-hdlc.pcap'] = (50, [
    HDLC() / PPP(proto=0x0021) / IP(src='192.0.2.1', dst='192.0.2.53') / dns_query('www.example.org'),
    HDLC() / PPP(proto=0x0021) / IP(src='192.0.2.1', dst='198.51.100.7') / ICMP(type=8, id=7, seq=1) / Raw(b'ping'),
    HDLC() / PPP(proto=0xc021) / PPP_LCP_Configure(code=9, id=3) / Raw(b'\x00\x00\x00\x01'),
])
# PPPoE discovery (0x8863) and session (0x8864), RFC 2516.
session = 0x2a
captures['pppoe.pcap'] = (1, [
    Ether(src=MAC_A, dst='ff:ff:ff:ff:ff:ff') / PPPoED(code=0x09, sessionid=0) / Raw(b'\x01\x01\x00\x00\x01\x03\x00\x04abcd'),
    Ether(src=MAC_B, dst=MAC_A) / PPPoED(code=0x07, sessionid=0) / Raw(b'\x01\x02\x00\x04bras\x01\x01\x00\x00'),
    Ether(src=MAC_A, dst=MAC_B) / PPPoED(code=0x19, sessionid=0) / Raw(b'\x01\x01\x00\x00'),
    Ether(src=MAC_B, dst=MAC_A) / PPPoED(code=0x65, sessionid=session) / Raw(b'\x01\x01\x00\x00'),
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=session) / PPP(proto=0xc021) / PPP_LCP_Configure(code=1, id=1, options=[PPP_LCP_MRU_Option(max_recv_unit=1492)]),
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=session) / PPP(proto=0x0021) / IP(src='100.64.0.10', dst='203.0.113.80') / tcp(51000, 443),
    Ether(src=MAC_B, dst=MAC_A) / PPPoE(sessionid=session) / PPP(proto=0x0021) / IP(src='203.0.113.80', dst='100.64.0.10') / tcp(443, 51000, 'SA'),
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=session) / PPP(proto=0x0057) / IPv6(src='2001:db8:1::10', dst='2001:db8:2::53') / dns_query('example.net'),
    Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=10) / PPPoE(sessionid=session) / PPP(proto=0x0021) / IP(src='100.64.0.10', dst='203.0.113.53') / dns_query('vlan.example'),
    Ether(src=MAC_B, dst=MAC_A) / PPPoED(code=0xa7, sessionid=session),
])
# GRE (RFC 2784/2890): plain IPv4 in GRE, key + sequence with IPv6 inside, transparent Ethernet
# bridging (0x6558), ERSPAN type II (0x88be), and GRE in IPv6.
outer = lambda: Ether(src=MAC_A, dst=MAC_B) / IP(src='198.51.100.1', dst='198.51.100.2')
captures['gre.pcap'] = (1, [
    outer() / GRE(proto=0x0800) / IP(src='10.10.0.1', dst='10.20.0.1') / tcp(33000, 22),
    outer() / GRE(proto=0x86dd, key_present=1, key=0x1001, seqnum_present=1, seqence_number=7) / IPv6(src='fd00::1', dst='fd00::2') / UDP(sport=5000, dport=6000) / Raw(b'x' * 8),
    outer() / GRE(proto=0x0800, chksum_present=1) / IP(src='10.10.0.2', dst='10.20.0.2') / ICMP(type=8, id=1, seq=1),
    outer() / GRE(proto=0x6558) / Ether(src='02:00:00:00:01:01', dst='02:00:00:00:01:02') / IP(src='172.16.0.1', dst='172.16.0.2') / dns_query('bridged.example'),
    outer() / GRE(proto=0x88be, seqnum_present=1, seqence_number=1) / ERSPAN_II(ver=1, session_id=5, vlan=0) / Ether(src='02:00:00:00:02:01', dst='02:00:00:00:02:02') / IP(src='192.168.50.1', dst='192.168.50.2') / tcp(44000, 8080),
    Ether(src=MAC_A, dst=MAC_B) / IPv6(src='2001:db8::a', dst='2001:db8::b') / GRE(proto=0x0800) / IP(src='10.30.0.1', dst='10.30.0.2') / UDP(sport=40001, dport=40002) / Raw(b'tunnelled'),
])
# VXLAN (RFC 7348) on UDP 4789: an inner Ethernet frame, with and without an inner VLAN tag.
vx = lambda vni: Ether(src=MAC_A, dst=MAC_B) / IP(src='192.0.2.10', dst='192.0.2.20') / UDP(sport=49152, dport=4789) / VXLAN(vni=vni, flags=0x08)
captures['vxlan.pcap'] = (1, [
    vx(100) / Ether(src='02:00:00:00:03:01', dst='02:00:00:00:03:02') / IP(src='10.100.0.1', dst='10.100.0.2') / tcp(50000, 80),
    vx(100) / Ether(src='02:00:00:00:03:02', dst='02:00:00:00:03:01') / IP(src='10.100.0.2', dst='10.100.0.1') / tcp(80, 50000, 'SA'),
    vx(200) / Ether(src='02:00:00:00:03:03', dst='02:00:00:00:03:04') / Dot1Q(vlan=30) / IPv6(src='fd01::1', dst='fd01::2') / dns_query('overlay.example'),
    vx(300) / Ether(src='02:00:00:00:03:05', dst='ff:ff:ff:ff:ff:ff') / ARP(op=1, hwsrc='02:00:00:00:03:05', psrc='10.100.0.5', pdst='10.100.0.1'),
])
# MPLS (RFC 3032): one label, two labels (bottom of stack on the second), IPv6 below, MPLS in GRE.
captures['mpls.pcap'] = (1, [
    Ether(src=MAC_A, dst=MAC_B, type=0x8847) / MPLS(label=100, s=1, ttl=64) / IP(src='10.1.1.1', dst='10.2.2.2') / dns_query('mpls.example'),
    Ether(src=MAC_A, dst=MAC_B, type=0x8847) / MPLS(label=200, s=0, ttl=64) / MPLS(label=300, s=1, ttl=64) / IP(src='10.1.1.3', dst='10.2.2.4') / tcp(41000, 179),
    Ether(src=MAC_A, dst=MAC_B, type=0x8847) / MPLS(label=400, s=1, ttl=64) / IPv6(src='2001:db8:aa::1', dst='2001:db8:bb::1') / tcp(42000, 443),
    Ether(src=MAC_A, dst=MAC_B) / IP(src='198.51.100.1', dst='198.51.100.2') / GRE(proto=0x8847) / MPLS(label=500, s=1, ttl=64) / IP(src='10.5.5.5', dst='10.6.6.6') / ICMP(type=8, id=9, seq=2),
])

def tshark_view(path):
    """Per frame: tshark's Protocol column and the innermost ip/ipv6 addresses and tcp/udp ports."""
    fields = ['frame.number', '_ws.col.Protocol', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport', 'frame.protocols']
    args = ['tshark', '-n', '-r', path, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,']
    for f in fields: args += ['-e', f]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    version = subprocess.run(['tshark', '--version'], capture_output=True, text=True).stdout.split('\n')[0]
    rows = []
    for line in out.splitlines():
        c = line.split('\t')
        last = lambda s: s.split(',')[-1] if s else None
        protos = c[10].split(':')
        # The innermost IP header is the last of ip/ipv6 in frame.protocols.
        ip_layers = [p for p in protos if p in ('ip', 'ipv6')]
        inner = ip_layers[-1] if ip_layers else None
        # An Ethernet frame after the last IP header (GRE bridging, VXLAN, ERSPAN) without IP of its
        # own: the columns show that frame's MAC addresses, not the tunnel's IPs.
        if inner and 'eth' in protos[len(protos) - protos[::-1].index(inner):]:
            inner = None
        src = last(c[2]) if inner == 'ip' else last(c[4]) if inner == 'ipv6' else None
        dst = last(c[3]) if inner == 'ip' else last(c[5]) if inner == 'ipv6' else None
        sport = last(c[6]) or last(c[8]); dport = last(c[7]) or last(c[9])
        if inner is None: sport = dport = None
        rows.append({'frame': int(c[0]), 'protocol': c[1], 'src': src, 'dst': dst,
                     'sport': int(sport) if sport else None, 'dport': int(dport) if dport else None, 'layers': c[10]})
    return {'tshark': version, 'rows': rows}

os.makedirs(OUT, exist_ok=True)
for name, (linktype, pkts) in captures.items():
    path = os.path.join(OUT, name)
    wrpcap(path, stamp(pkts), linktype=linktype)
    if shutil.which('tshark'):
        with open(path + '.tshark.json', 'w') as f:
            json.dump(tshark_view(path), f, indent=1)
            f.write('\n')
    print(name, len(pkts), 'packets', file=sys.stderr)
