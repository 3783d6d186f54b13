import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiFailure } from '../../../electron/ipc/api-failure';
import { CHANNELS, isChannel, validateArgs, type Channel } from '../../../electron/ipc/channels';
import { LIMITS } from '../../../electron/ipc/validate';

const HUGE = 'x'.repeat(100_000);
const NS = '1278275056274870000';

/** Per channel: arguments that must pass, and arguments that must be refused. */
const CASES: Record<Channel, { good: unknown[]; bad: unknown[] }> = {
  'case.overview': { good: [{}], bad: [{ x: 1 }, null, [], 'x', 42] },
  'capture.import': {
    good: [{ paths: ['/tmp/a.pcap'] }, { paths: ['a.pcapng', 'b.pcap.gz'] }],
    bad: [{}, { paths: [] }, { paths: '/tmp/a.pcap' }, { paths: [1] }, { paths: [''] }, { paths: [HUGE] }, { paths: ['a\0b'] },
      { paths: Array.from({ length: LIMITS.importPaths + 1 }, () => 'a.pcap') }, { paths: ['a'], extra: true }],
  },
  'capture.cancel': { good: [{ jobId: 1 }], bad: [{}, { jobId: -1 }, { jobId: 0 }, { jobId: 1.5 }, { jobId: '1' }, { jobId: 1, x: 1 }] },
  'capture.relocate': {
    good: [{ captureId: 1, path: '/data/a.pcap' }],
    bad: [{ captureId: 1 }, { path: '/a' }, { captureId: -3, path: '/a' }, { captureId: 1, path: HUGE }, { captureId: 1, path: 7 }, { captureId: 1, path: '/a', z: 0 }],
  },
  'filter.check': { good: [{ filter: '' }, { filter: 'tcp.flags.syn == 1' }], bad: [{}, { filter: 1 }, { filter: HUGE }, { filter: 'tcp', f: 1 }] },
  'packets.page': {
    good: [{}, { filter: 'tcp', limit: 200 }, { after: 0, limit: 1 }, { before: 10 }, { from: NS, to: NS }, { findingId: 3 }],
    bad: [{ limit: -1 }, { limit: 0 }, { limit: LIMITS.pageRows + 1 }, { after: -1 }, { before: 0 }, { after: 1, before: 5 }, { from: '-5' }, { from: 12 },
      { from: '99999999999999999999' }, { from: '2', to: '1' }, { filter: HUGE }, { findingId: 'x' }, { sort: 'id' }, { limit: Number.NaN }, { limit: 1e300 }],
  },
  'packets.count': { good: [{}, { filter: 'dns' }], bad: [{ limit: -1 }, { filter: HUGE }, { bogus: 1 }, { to: 'now' }] },
  'packets.locate': { good: [{ id: 5 }, { id: 5, filter: 'tcp' }], bad: [{}, { id: -5 }, { id: 0 }, { id: '5' }, { id: 5, x: 1 }] },
  'packet.detail': { good: [{ id: 1 }], bad: [{}, { id: -1 }, { id: 2 ** 60 }, { id: null }, { id: 1, bytes: true }] },
  'timeline.get': {
    good: [{ metric: 'packets', dim: 'proto' }, { metric: 'bytes', dim: 'tcp', buckets: 400, from: NS, to: NS }],
    bad: [{}, { metric: 'packets' }, { metric: 'flows', dim: 'proto' }, { metric: 'packets', dim: 'proto', buckets: -1 },
      { metric: 'packets', dim: 'proto', buckets: LIMITS.timelineBuckets + 1 }, { metric: 'packets', dim: 'proto', x: 1 }, { metric: 'packets', dim: 'proto', from: 'yesterday' }],
  },
  'flows.list': {
    good: [{}, { sort: 'bytes', dir: 'desc', limit: 50, offset: 100 }],
    bad: [{ sort: 'bytes; DROP TABLE flows' }, { sort: 'f.id' }, { dir: 'up' }, { limit: -1 }, { offset: -1 }, { limit: LIMITS.listRows + 1 }, { sort: HUGE }, { where: '1' }],
  },
  'hosts.list': { good: [{}, { sort: 'addr', dir: 'asc' }], bad: [{ sort: 'name' }, { offset: -10 }, { dir: 1 }, { extra: 'x' }] },
  'findings.list': { good: [{}], bad: [{ all: true }, 'x'] },
  'findings.get': { good: [{ id: 2 }], bad: [{}, { id: -2 }, { id: 'two' }, { id: 2, more: 1 }] },
  'graph.get': {
    good: [{}, { filter: 'tcp', top: 150, group: 24, measure: 'packets' }, { findingId: 1, from: NS, to: NS, expand: ['192.0.2.1'] }, { group: 0 }],
    bad: [{ top: 0 }, { top: 1e6 }, { group: 16 }, { group: '24' }, { measure: 'flows' }, { expand: 'x' }, { expand: [HUGE] },
      { from: '2', to: '1' }, { filter: HUGE }, { limit: 5 }],
  },
  'graph.edgeFlows': { good: [{ src: '10.0.0.1', dst: '203.0.113.0/24' }], bad: [{}, { src: 'a' }, { src: '', dst: 'b' }, { src: HUGE, dst: 'b' }, { src: 'a', dst: 'b', x: 1 }] },
  'graph.savePositions': {
    good: [{ positions: [] }, { positions: [{ node: '10.0.0.1', x: 1.5, y: -3, pinned: true }] }],
    bad: [{}, { positions: [{ node: 'a', x: Number.NaN, y: 0, pinned: false }] }, { positions: [{ node: 'a', x: 1e12, y: 0, pinned: false }] },
      { positions: [{ node: 'a', x: 0, y: 0 }] }, { positions: [{ node: 'a', x: 0, y: 0, pinned: 1 }] }, { positions: 'x' }],
  },
  'graph.setHomeNetworks': { good: [{ cidrs: [] }, { cidrs: ['10.20.0.0/16'] }], bad: [{}, { cidrs: 'x' }, { cidrs: [HUGE] }, { cidrs: [''] }] },
  'host.profile': { good: [{ addr: '192.0.2.1' }], bad: [{}, { addr: '' }, { addr: HUGE }, { addr: 1 }, { addr: 'a', b: 1 }] },
  'ladder.page': {
    good: [{ flowId: 3 }, { flowId: 3, after: 200, limit: 200 }, { a: '10.0.0.1', b: '10.0.0.2' }, { findingId: 1 }],
    bad: [{}, { flowId: 1, findingId: 2 }, { a: '10.0.0.1' }, { flowId: 0 }, { flowId: 1, limit: 5000 }, { flowId: 1, after: -1 }, { flowId: 1, x: 1 }],
  },
  'ladder.compare': { good: [{ findingId: 1 }], bad: [{}, { findingId: 0 }, { findingId: 'x' }] },
  'annotations.list': {
    good: [{}, { tag: 'malicious', author: 'a', kind: 'flow', text: 'x', filter: 'annotation', includeDeleted: true, limit: 10 }],
    bad: [{ kind: 'file' }, { includeDeleted: 'yes' }, { filter: HUGE }, { tag: 1 }, { sql: '1' }],
  },
  'annotations.forPacket': { good: [{ id: 1 }], bad: [{}, { id: 0 }, { id: '1' }] },
  'annotations.forTarget': {
    good: [{ kind: 'flow', ref: '3' }, { kind: 'host', ref: '10.0.0.1' }, { kind: 'case', ref: '' }],
    bad: [{ kind: 'packet', ref: '1' }, { kind: 'flow' }, { kind: 'host', ref: HUGE }],
  },
  'annotations.marks': { good: [{}], bad: [{ from: NS }] },
  'annotations.flowFilter': { good: [{ id: 2 }], bad: [{}, { id: -1 }] },
  'annotations.history': { good: [{ id: 2 }], bad: [{}, { id: 1.5 }] },
  'annotations.add': {
    good: [
      { target: { kind: 'packet', packetId: 1 }, text: '<b>x</b>', tags: ['malicious'], includeInReport: true },
      { target: { kind: 'flow', flowId: 2 }, tags: ['todo'] },
      { target: { kind: 'host', addr: '10.0.0.1' }, text: 'x' },
      { target: { kind: 'range', startNs: NS, endNs: NS }, text: 'x' },
      { target: { kind: 'finding', findingId: 1 }, text: 'x' },
      { target: { kind: 'case' }, text: 'x'.repeat(65_536) },
    ],
    bad: [
      {}, { text: 'x' }, { target: { kind: 'packet' }, text: 'x' }, { target: { kind: 'packet', packetId: 1, flowId: 2 }, text: 'x' },
      { target: { kind: 'file', path: '/etc/passwd' }, text: 'x' }, { target: { kind: 'range', startNs: '1.5', endNs: NS } },
      { target: { kind: 'case' }, text: 'x'.repeat(65_537) }, { target: { kind: 'case' }, text: 'a\0b' },
      { target: { kind: 'case' }, tags: 'malicious' }, { target: { kind: 'case' }, author: 'mallory' }, { target: null, text: 'x' },
    ],
  },
  'annotations.edit': { good: [{ id: 1, text: 'x' }, { id: 1, tags: [] }, { id: 1, includeInReport: false }], bad: [{}, { id: 1, author: 'x' }, { id: 1, includeInReport: 1 }] },
  'annotations.supersede': { good: [{ id: 1, text: 'x' }], bad: [{ text: 'x' }, { id: 1, text: HUGE }] },
  'annotations.delete': { good: [{ id: 1 }], bad: [{}, { id: 'all' }] },
  'annotations.restore': { good: [{ id: 1 }], bad: [{}, { id: null }] },
  'analyst.get': { good: [{}], bad: [{ name: 'x' }] },
  'analyst.set': { good: [{ name: 'Dana Scully' }], bad: [{}, { name: '' }, { name: 'x'.repeat(129) }] },
  'custody.status': { good: [{}], bad: [{ verify: true }] },
  'report.export': {
    good: [{ format: 'md' }, { format: 'html' }, { format: 'pdf', paper: 'LETTER', version: 'finalised' }, { format: 'pdf', version: 3 }],
    bad: [{}, { format: 'docx' }, { format: 'md', path: '/etc/x' }, { format: 'pdf', version: 0 }, { format: 'pdf', version: 'draft' }, { format: 'pdf', paper: 'A3' }],
  },
  'report.open': { good: [{}, { versionId: 2 }], bad: [{ versionId: 0 }, { versionId: 'x' }, { all: 1 }] },
  'report.save': {
    good: [{ documentId: 1, title: 'T', sections: [] }, { documentId: 1, title: 'T', note: 'n', sections: [{ key: 'a', title: 'S', level: 2, markdown: '# x <script>' }] }],
    bad: [{}, { documentId: 1, title: 'T' }, { documentId: 1, title: HUGE, sections: [] }, { documentId: 1, title: 'T', sections: [{ key: 'a', title: 'S', level: 4, markdown: '' }] },
      { documentId: 1, title: 'T', sections: [{ key: 'a', title: 'S', level: 2 }] }, { documentId: 1, title: 'T', sections: Array.from({ length: 501 }, () => ({ key: 'a', title: 'S', level: 2, markdown: '' })) },
      { documentId: 1, title: 'T', sections: [{ key: 'a', title: 'S', level: 2, markdown: 'x'.repeat(1_000_001) }] }],
  },
  'report.refresh': { good: [{ documentId: 1 }], bad: [{}, { documentId: -1 }] },
  'report.finalise': { good: [{ documentId: 1 }], bad: [{}, { documentId: '1' }, { documentId: 1, force: true }] },
  'report.diff': { good: [{ fromId: 1, toId: 2 }], bad: [{ fromId: 1 }, { fromId: 0, toId: 1 }] },
  'bundle.export': {
    good: [{ path: '/tmp/b.zip' }, { path: '/tmp/b', includeCaptures: true, filter: 'tcp', force: false }],
    bad: [{}, { path: '' }, { path: '/tmp/b', includeCaptures: 'yes' }, { path: '/tmp/b', filter: HUGE }, { path: '/tmp/b', x: 1 }],
  },
  'bundle.verify': { good: [{ path: '/tmp/b.zip' }], bad: [{}, { path: 3 }, { path: 'a\0b' }] },
};

function refused(channel: Channel, args: unknown): ApiFailure {
  try {
    validateArgs(channel, args);
  } catch (err) {
    assert.ok(err instanceof ApiFailure, `expected ApiFailure, got ${String(err)}`);
    return err;
  }
  assert.fail(`${channel} accepted ${JSON.stringify(args)?.slice(0, 120)}`);
}

describe('validateArgs', () => {
  it('has cases for every channel in the contract', () => {
    assert.deepEqual(Object.keys(CASES).sort(), [...CHANNELS].sort());
  });

  for (const channel of CHANNELS) {
    describe(channel, () => {
      it('accepts good arguments unchanged', () => {
        for (const args of CASES[channel].good) assert.deepEqual(validateArgs(channel, args), args);
      });
      it('refuses bad arguments with bad-argument and names the channel', () => {
        for (const args of CASES[channel].bad) {
          const err = refused(channel, args);
          assert.equal(err.api.code, 'bad-argument');
          assert.match(err.api.message, new RegExp(`^${channel.replace('.', '\\.')}:`));
          assert.ok(err.api.message.length < 400, 'messages stay short even for huge input');
        }
      });
    });
  }

  it('names the unknown key and the allowed ones', () => {
    const err = refused('packets.page', { filtre: 'tcp' });
    assert.match(err.api.message, /unknown argument 'filtre'/);
    assert.match(err.api.message, /allowed: filter, from, to/);
  });

  it('says which field is out of range', () => {
    assert.match(refused('packets.page', { limit: -1 }).api.message, /'limit' must be between 1 and 5000 \(got -1\)/);
  });

  it('refuses prototype tricks', () => {
    refused('findings.get', JSON.parse('{"id": 1, "__proto__": {"x": 1}}'));
    assert.equal(isChannel('__proto__'), false);
    assert.equal(isChannel('toString'), false);
    assert.equal(isChannel('packets.page'), true);
  });
});
