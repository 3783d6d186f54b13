/**
 * TCP flag tests folded into one mask test (display-filter/tcp-flag-mask.ts) select exactly the
 * packets the tests one by one select, with Wireshark's presence rule: checked on every value of the
 * flags byte (nine bits) and on packets that are not TCP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { compileFilter } from '../../../electron/query/display-filter/index.js';

const SYN = 2;
const ACK = 16;
const RST = 4;
const FIN = 1;
const PSH = 8;

const db = new Database(':memory:');
db.exec('CREATE TABLE packets (id INTEGER PRIMARY KEY, ip_proto INTEGER, tcp_flags INTEGER)');
const insert = db.prepare('INSERT INTO packets (ip_proto, tcp_flags) VALUES (?, ?)');
for (let f = 0; f < 512; f++) insert.run(6, f);
insert.run(17, null); // UDP
insert.run(1, null); // ICMP
insert.run(6, null); // TCP whose header was cut before the flags
const rows = db.prepare('SELECT id, ip_proto, tcp_flags FROM packets ORDER BY id').all() as Array<{ id: number; ip_proto: number; tcp_flags: number | null }>;

/** A flag test as Wireshark means it: false when the packet has no TCP flags. */
const has = (f: number | null, bit: number): boolean => f !== null && (f & bit) !== 0;
const clear = (f: number | null, bit: number): boolean => f !== null && (f & bit) === 0;

const CASES: Array<[filter: string, folds: boolean, expected: (f: number | null) => boolean]> = [
  ['tcp.flags.syn == 1 && tcp.flags.ack == 0', true, (f) => has(f, SYN) && clear(f, ACK)],
  ['tcp.flags.syn && !tcp.flags.ack', true, (f) => has(f, SYN) && clear(f, ACK)],
  ['!tcp.flags.ack && tcp.flags.syn', true, (f) => has(f, SYN) && clear(f, ACK)],
  ['tcp.flags.syn == 1 && tcp.flags.ack != 1', true, (f) => has(f, SYN) && clear(f, ACK)],
  ['tcp.flags.syn == true && tcp.flags.reset == false && tcp.flags.fin == 0', true, (f) => has(f, SYN) && clear(f, RST) && clear(f, FIN)],
  ['tcp.flags.fin && tcp.flags.ack && tcp.flags.push', true, (f) => has(f, FIN) && has(f, ACK) && has(f, PSH)],
  ['tcp.flags.rst == 1 && tcp.flags.reset == 1', true, (f) => has(f, RST)],
  // Negations outside the conjunction: true for packets without TCP flags.
  ['!(tcp.flags.syn == 1 && tcp.flags.ack == 0)', true, (f) => !(has(f, SYN) && clear(f, ACK))],
  ['tcp.flags.reset == 1 || tcp.flags.syn == 1 && tcp.flags.ack == 1', true, (f) => has(f, RST) || (has(f, SYN) && has(f, ACK))],
  // Not folded: no test that requires TCP, a bit asked both ways, a comparison that is not ==.
  ['!tcp.flags.ack && !tcp.flags.syn', false, (f) => !has(f, ACK) && !has(f, SYN)],
  ['tcp.flags.syn == 1 && tcp.flags.syn == 0', false, () => false],
  ['tcp.flags.syn == 1 && !tcp.flags.syn', false, () => false],
  ['tcp.flags.syn == 1', false, (f) => has(f, SYN)],
];

test('folded flag tests select what the tests one by one select', () => {
  for (const [filter, folds, expected] of CASES) {
    const { sql, params } = compileFilter(filter, { firstTsNs: 0n });
    assert.equal(sql.includes('(p.tcp_flags & ?) = ?'), folds, `${filter} ${folds ? 'folds' : 'does not fold'}: ${sql}`);
    const got = (db.prepare(`SELECT id FROM packets AS p WHERE ${sql} ORDER BY id`).all(...params) as Array<{ id: number }>).map((r) => r.id);
    const want = rows.filter((r) => expected(r.ip_proto === 6 ? r.tcp_flags : null)).map((r) => r.id);
    assert.deepEqual(got, want, filter);
  }
});

test('a bad value in a flag test is reported where it is, as before', () => {
  assert.throws(() => compileFilter('tcp.flags.syn == 2 && tcp.flags.ack == 0', { firstTsNs: 0n }), /"2" is not a boolean .* column 18/);
  assert.throws(() => compileFilter('nosuch.field == 1 && tcp.flags.syn == 1 && tcp.flags.ack == 0', { firstTsNs: 0n }), /unknown field "nosuch.field"/);
});
