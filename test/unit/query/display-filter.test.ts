import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFilter, compileFilter, registerFilterFunctions } from '../../../electron/query/display-filter/index.js';
import { ALL, buildCase, T0 } from './case-fixture.js';

const db = buildCase();
registerFilterFunctions(db);

function run(filter: string): number[] {
  const { sql, params } = compileFilter(filter, { firstTsNs: T0 });
  return (db.prepare(`SELECT id FROM packets AS p WHERE ${sql} ORDER BY id`).all(...params) as Array<{ id: number }>).map((r) => r.id);
}

const except = (...ids: number[]): number[] => ALL.filter((id) => !ids.includes(id));
const TCP = [1, 2, 3, 4, 5, 6, 12, 14, 16, 18];
const IPV4 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 18];

// [filter, matched packet ids]; the fixture's packets are described in case-fixture.ts.
const CASES: Array<[string, number[]]> = [
  ['', ALL],
  ['   ', ALL],
  // Bare protocols
  ['frame', ALL],
  ['eth', except(18)],
  ['ip', IPV4],
  ['ipv6', [11, 12, 17]],
  ['arp', [13]],
  ['tcp', TCP],
  ['udp', [7, 8, 15, 17]],
  ['icmp', [9, 10]],
  ['icmpv6', [11]],
  ['dns', [7, 8]],
  ['mdns', [15]],
  ['llmnr', []],
  ['http', [4, 5]],
  ['tls', [12, 16]],
  // Ports and Wireshark's presence rule
  ['tcp.port == 80', [1, 2, 3, 4, 5, 6]],
  ['tcp.port eq 80', [1, 2, 3, 4, 5, 6]],
  ['tcp.port==80', [1, 2, 3, 4, 5, 6]],
  ['!tcp.port == 80', except(1, 2, 3, 4, 5, 6)],
  ['tcp.port != 80', except(1, 2, 3, 4, 5, 6)],
  ['tcp.port ne 80', except(1, 2, 3, 4, 5, 6)],
  ['not tcp.port == 80', except(1, 2, 3, 4, 5, 6)],
  ['tcp.port', [1, 2, 3, 4, 5, 6, 12, 14, 16]],
  ['tcp.srcport == 80', [2, 5, 6]],
  ['tcp.dstport == 80', [1, 3, 4]],
  ['tcp.port == 0x50', [1, 2, 3, 4, 5, 6]],
  ['tcp.port == 0120', [1, 2, 3, 4, 5, 6]],
  ['tcp.port == "80"', [1, 2, 3, 4, 5, 6]],
  // Each test is "any port matches", as in Wireshark: port 51000 passes ">=", port 80 passes "<=".
  ['tcp.port >= 443 && tcp.port <= 443', [1, 2, 3, 4, 5, 6, 12, 16]],
  ['tcp.dstport gt 8000', [2, 5, 6, 14]],
  ['tcp.port lt 100 and tcp.port ge 80 and tcp.port le 80', [1, 2, 3, 4, 5, 6]],
  ['udp.port == 53', [7, 8]],
  ['udp.srcport == 5000', [17]],
  ['udp.dstport == 6000', [17]],
  // Sets
  ['udp.port in {53 5353}', [7, 8, 15]],
  ['tcp.port in {443, 8000..9000}', [12, 14, 16]],
  ['tcp.port in {8000 .. 9000}', [14]],
  ['tcp.port not in {80 443}', except(1, 2, 3, 4, 5, 6, 12, 16)],
  ['frame.number in {1..3 17}', [1, 2, 3, 17]],
  ['dns.qry.name in {"example.com" printer.local}', [7, 15]],
  ['ip.addr in {8.8.8.8 192.168.1.20}', [7, 8, 9, 10, 15, 16]],
  ['ip.addr in {10.0.0.1..10.0.0.2}', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 16, 18]],
  ['ip.src in {224.0.0.0/4, 8.8.8.8}', [8, 9]],
  ['ip.dst in {224.0.0.0/4, 8.8.8.8}', [7, 10, 15, 16]],
  // IPv4 addresses and CIDR
  ['ip.addr == 10.0.0.1', [1, 2, 3, 4, 5, 6, 16, 18]],
  ['ip.addr == "10.0.0.1"', [1, 2, 3, 4, 5, 6, 16, 18]],
  ['ip.addr == 10.0.0.0/8', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 16, 18]],
  ['ip.addr == 10.9.9.9/8', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 16, 18]],
  ['ip.addr == 192.168.1.0/24', [1, 2, 3, 4, 5, 6, 14, 15, 18]],
  ['ip.addr == 0.0.0.0/0', IPV4],
  ['ip.addr != 10.0.0.1', except(1, 2, 3, 4, 5, 6, 16, 18)],
  ['!ip.addr == 10.0.0.1', except(1, 2, 3, 4, 5, 6, 16, 18)],
  ['ip.src == 8.8.8.8', [8, 9]],
  ['ip.dst == 8.8.8.8', [7, 10, 16]],
  ['ip.addr > 100.0.0.0', [1, 2, 3, 4, 5, 6, 14, 15, 18]],
  ['ip.dst >= 224.0.0.0/4', [15]],
  ['ip.addr == 1.2.3.4', []],
  // IPv6
  ['ipv6.addr == 2001:db8::1', [11, 12, 17]],
  ['ipv6.addr == 2001:DB8:0:0:0:0:0:1', [11, 12, 17]],
  ['ipv6.addr == 2001:db8::/32', [11, 12, 17]],
  ['ipv6.src == fe80::1', [12]],
  ['ipv6.dst == fe80::/10', [11]],
  ['ipv6.addr == a00:1::1', [17]],
  ['ipv6.addr == ::ffff:10.0.0.1', []],
  ['ipv6.addr == ::/0', [11, 12, 17]],
  ['ipv6.addr != 2001:db8::1', except(11, 12, 17)],
  // TCP flags
  ['tcp.flags == 0x12', [2]],
  ['tcp.flags == 2', [1, 14]],
  ['tcp.flags.syn', [1, 2, 14]],
  ['tcp.flags.syn == 1 && tcp.flags.ack == 0', [1, 14]],
  ['tcp.flags.syn && !tcp.flags.ack', [1, 14]],
  ['tcp.flags.syn == true and tcp.flags.ack == false', [1, 14]],
  ['tcp.flags.rst', [6]],
  ['tcp.flags.reset == 1', [6]],
  ['tcp.flags.fin == 0', [1, 2, 3, 4, 5, 6, 12, 14, 16]],
  ['tcp.flags.push', [4, 5, 12, 16]],
  ['tcp.flags.urg', []],
  ['tcp.flags & 0x10', [2, 3, 4, 5, 12, 16]],
  ['tcp.flags & 0x14', [2, 3, 4, 5, 6, 12, 16]],
  // ICMP (type/code live in the port columns)
  ['icmp.type == 3', [9]],
  ['icmp.code == 3', [9]],
  ['icmp.type == 8 && icmp.code == 0', [10]],
  ['icmp.type == 1', []],
  ['icmpv6.type == 1 && icmpv6.code == 4', [11]],
  ['ip.proto == 1', [9, 10]],
  ['ip.proto == 6', [1, 2, 3, 4, 5, 6, 14, 16, 18]],
  ['ipv6.nxt == 58', [11]],
  // DNS (mDNS carries the same fields)
  ['dns.qry.name == example.com', [7]],
  ['dns.qry.name == "example.com"', [7]],
  ['dns.qry.name == printer.local', [15]],
  ['dns.qry.name contains "example"', [7, 8]],
  ['dns.qry.name contains "EXAMPLE"', []],
  ['dns.qry.name matches "EXAMPLE\\\\.(com|org)$"', [7, 8]],
  ['dns.qry.name matches r"example\\.(com|org)$"', [7, 8]],
  ['dns.qry.name matches "(?-i)EXAMPLE"', []],
  ['dns.qry.name matches "^p"', [15]],
  ['dns.qry.name', [7, 8, 15]],
  ['dns.qry.type == 12', [15]],
  ['dns.id == 0x1234', [7]],
  ['dns.flags.rcode == 3', [8]],
  ['dns.flags.rcode != 0', except(7, 15)],
  ['dns.flags.rcode > 0', [8]],
  ['dns.flags.response', [8, 15]],
  ['dns.flags.response == 0', [7]],
  ['dns.qry.name > "c"', [7, 15]],
  // HTTP and TLS
  ['http.host == example.com', [4]],
  ['http.host', [4]],
  ['http.request.method == GET', [4]],
  ['http.request.method == "POST"', []],
  ['http.request.uri contains "index"', [4]],
  ['http.user_agent contains "curl"', [4]],
  ['http.response.code == 200', [5]],
  ['http.response.code >= 400', []],
  ['http.request', [4]],
  ['http.response', [5]],
  ['tls.handshake.extensions_server_name == "www.example.net"', [12]],
  ['tls.handshake.extensions_server_name contains "evil"', [16]],
  ['tls.handshake.extensions_server_name', [12, 16]],
  // Frame fields and time
  ['frame.number <= 3', [1, 2, 3]],
  ['frame.number > 17', [18]],
  ['frame.len > 1000', [5, 18]],
  ['frame.cap_len == 1514', [5]],
  ['frame.cap_len < 50', [18]],
  ['frame.time_relative >= 1.5 && frame.time_relative < 2.5', [4, 5]],
  ['frame.time_relative == 0', [1]],
  ['frame.time_relative == 8.5', [18]],
  ['frame.time_relative <= 0.4999999999', [1]],
  ['frame.time_relative in {0.5..1 8.5}', [2, 3, 18]],
  ['frame.time_epoch > 1700000008', [17, 18]],
  ['frame.time_epoch == 1700000000.123456789', [1]],
  // Logic and precedence: not > and > or
  ['(tcp.port == 80 || udp.port == 53) && !tcp.flags.syn', [3, 4, 5, 6, 7, 8]],
  ['not tcp and not udp', [9, 10, 11, 13]],
  ['tcp or udp and ip.src == 8.8.8.8', [1, 2, 3, 4, 5, 6, 8, 12, 14, 16, 18]],
  ['(tcp or udp) and ip.src == 8.8.8.8', [8]],
  ['!tcp || tcp.port == 443', [7, 8, 9, 10, 11, 12, 13, 15, 16, 17]],
  ['!!tcp', TCP],
  ['! ( tcp )', except(...TCP)],
  ['tcp && ip && !ip.addr == 192.168.1.0/24', [16]],
];

for (const [filter, expected] of CASES) {
  test(`filter ${JSON.stringify(filter)}`, () => {
    assert.deepEqual(run(filter), expected);
  });
}

test('empty and whitespace filters compile to "1" with no parameters', () => {
  assert.deepEqual(compileFilter('', { firstTsNs: 0n }), { sql: '1', params: [] });
  assert.deepEqual(compileFilter(' \t\n', { firstTsNs: 0n }), { sql: '1', params: [] });
});

test('values are bound as parameters, never spliced into the SQL', () => {
  const { sql, params } = compileFilter('dns.qry.name == "needle-text" && tcp.port == 4321', { firstTsNs: 0n });
  assert.ok(!sql.includes('needle-text') && !sql.includes('4321'));
  assert.deepEqual(params, ['needle-text', 4321, 4321]); // the port once per column
});

test('frame.time_relative counts from ctx.firstTsNs with exact nanoseconds', () => {
  const { params } = compileFilter('frame.time_relative > 1.000000001', { firstTsNs: T0 });
  assert.deepEqual(params, [T0 + 1_000_000_001n]);
});

test('string escapes are decoded before comparison', () => {
  const { params } = compileFilter('http.host == "a\\"b\\\\c\\x41\\101\\n"', { firstTsNs: 0n });
  assert.deepEqual(params, ['a"b\\cAA\n']);
});

test('checkFilter reports ok or the error position', () => {
  assert.deepEqual(checkFilter('tcp.port == 80'), { ok: true });
  assert.deepEqual(checkFilter(''), { ok: true });
  assert.deepEqual(checkFilter('tcp.port == '), { ok: false, error: { position: 12, message: 'expected a value after "==" at column 13' } });
});
