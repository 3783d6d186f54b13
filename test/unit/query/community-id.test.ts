import { test } from 'node:test';
import assert from 'node:assert/strict';
import { communityId } from '../../../electron/query/community-id';
import { addressBytes } from '../../../electron/ingest/address-bytes';

const ip = (s: string) => addressBytes(s)!;

// Reference values printed by `tshark --enable-protocol communityid -T fields -e communityid` (Wireshark 4.0.17)
// on zeek__get.pcap and arkime__bigendian.pcap from ../shared/captures/real.
test('TCP flow hash matches Wireshark, in both directions', () => {
  const fwd = communityId(6, ip('141.142.228.5'), ip('192.150.187.43'), 59856, 80);
  const rev = communityId(6, ip('192.150.187.43'), ip('141.142.228.5'), 80, 59856);
  assert.equal(fwd, '1:yvyB8h+3dnggTZW0UEITWCst97w=');
  assert.equal(rev, fwd);
});

test('ICMP echo hash matches Wireshark', () => {
  assert.equal(communityId(1, ip('192.168.177.160'), ip('10.64.11.49'), 8, 0), '1:u15ZSE/zwPPH+PdNHE0LOby1NF0=');
});

test('ICMP echo request and reply hash to the same flow; a one-way error type does not swap', () => {
  const req = communityId(1, ip('192.168.0.89'), ip('192.168.0.1'), 8, 0);
  const rep = communityId(1, ip('192.168.0.1'), ip('192.168.0.89'), 0, 0);
  assert.equal(req, rep);
  const err1 = communityId(1, ip('10.0.0.1'), ip('10.0.0.2'), 3, 3);
  const err2 = communityId(1, ip('10.0.0.2'), ip('10.0.0.1'), 3, 3);
  assert.notEqual(err1, err2);
});

test('seed changes the hash and IPv6 works', () => {
  const a = communityId(17, ip('2001:db8::1'), ip('2001:db8::2'), 5353, 53);
  const b = communityId(17, ip('2001:db8::1'), ip('2001:db8::2'), 5353, 53, 1);
  assert.match(a, /^1:[A-Za-z0-9+/]{27}=$/);
  assert.notEqual(a, b);
});
