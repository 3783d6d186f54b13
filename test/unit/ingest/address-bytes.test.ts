import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressBytes } from '../../../electron/ingest/address-bytes';

const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('hex') : null);

test('IPv4 and IPv6 text become network-order bytes', () => {
  assert.equal(hex(addressBytes('192.0.2.1')), 'c0000201');
  assert.equal(hex(addressBytes('2001:db8::1')), '20010db8000000000000000000000001');
  assert.equal(hex(addressBytes('::')), '00000000000000000000000000000000');
  assert.equal(hex(addressBytes('::ffff:192.0.2.1')), '00000000000000000000ffffc0000201');
  assert.equal(hex(addressBytes('fe80::1:2:3:4:5')), 'fe800000000000010002000300040005');
});

test('MAC addresses and junk are not IP addresses', () => {
  for (const s of ['aa:bb:cc:dd:ee:ff', '1.2.3', '1.2.3.256', '1::2::3', '12345::', '', 'x.y.z.w']) assert.equal(addressBytes(s), null, s);
});
