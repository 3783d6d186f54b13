import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addAnnotation, annotationHistory, deleteAnnotation, editAnnotation, getAnnotation, restoreAnnotation, supersedeAnnotation,
  adoptCaptureComments, orphanedAnnotations, analystWork,
} from '../../../db/annotation-store';
import { readCustody, verifyCustodyChain } from '../../../db/custody';
import { ANNOTATION_LIMITS } from '../../../electron/model/annotation';
import { annotationsForPacket, annotationMarks, listAnnotations, tagsByTarget } from '../../../electron/query/annotations';
import { compileFilter, registerFilterFunctions } from '../../../electron/query/display-filter/index';
import { pagePackets } from '../../../electron/query/packet-query';
import { buildCase, T0 } from '../query/case-fixture';

process.env.FLOWCASE_ANALYST = 'alice';

function fixture() {
  const db = buildCase();
  db.exec(`INSERT INTO flows (id, ip_proto, orig_id, orig_port16, resp_id, resp_port, first_ts_ns, last_dt, orig_pkts, orig_bytes, resp_pkts, resp_bytes)
      VALUES (1, 6, 1, 51000 - 65536, 3, 80, 0, 0, 1, 1, 1, 1);
    UPDATE packets SET flow_id = 1 WHERE id IN (1, 2, 3);
    DELETE FROM annotations;`);
  registerFilterFunctions(db);
  return db;
}

function matching(db: ReturnType<typeof fixture>, filter: string): number[] {
  const { sql, params } = compileFilter(filter, { firstTsNs: T0 });
  return (db.prepare(`SELECT id FROM packets AS p WHERE ${sql} ORDER BY id`).all(...params) as Array<{ id: number }>).map((r) => r.id);
}

test('add, edit, delete and restore keep every version, and each change is one custody entry', () => {
  const db = fixture();
  const a = addAnnotation(db, { target: { kind: 'packet', packetId: 4 }, text: 'login request', tags: ['suspicious', ' todo ', 'todo'] });
  assert.equal(a.author, 'alice');
  assert.deepEqual(a.tags, ['suspicious', 'todo']);
  assert.equal(a.version, 1);
  const e = editAnnotation(db, a.id, { text: 'credential stuffing', tags: ['malicious'], includeInReport: true });
  assert.deepEqual([e.version, e.text, e.tags, e.includeInReport, e.createdAt], [2, 'credential stuffing', ['malicious'], true, a.createdAt]);
  const d = deleteAnnotation(db, a.id);
  assert.equal(d.deleted, true);
  assert.deepEqual(listAnnotations(db), [], 'a tombstone is hidden from the list');
  assert.equal(listAnnotations(db, { includeDeleted: true }).length, 1);
  assert.throws(() => editAnnotation(db, a.id, { text: 'x' }), /deleted; restore it/);
  const r = restoreAnnotation(db, a.id);
  assert.deepEqual([r.deleted, r.version, r.text], [false, 4, 'credential stuffing']);
  assert.deepEqual(annotationHistory(db, a.id).map((v) => [v.version, v.text, v.deleted]), [
    [1, 'login request', false], [2, 'credential stuffing', false], [3, 'credential stuffing', true], [4, 'credential stuffing', false],
  ]);
  const actions = readCustody(db).map((x) => x.action);
  assert.deepEqual(actions.slice(1), ['analyst.set', 'annotation.added', 'annotation.edited', 'annotation.deleted', 'annotation.restored']);
  assert.equal(verifyCustodyChain(db).ok, true);
  assert.deepEqual(analystWork(db), { annotations: 1, custodyEntries: 5 });
  assert.throws(() => db.prepare('DELETE FROM annotation_versions').run(), /append-only/);
});

test('every target kind is checked against the case', () => {
  const db = fixture();
  const ok = [
    { kind: 'packet', packetId: 1 }, { kind: 'flow', flowId: 1 }, { kind: 'host', addr: '10.0.0.1' },
    { kind: 'range', startNs: String(T0), endNs: String(T0 + 10n) }, { kind: 'case' },
  ] as const;
  for (const target of ok) assert.equal(addAnnotation(db, { target, tags: ['evidence'] }).target.kind, target.kind);
  const range = listAnnotations(db, { kind: 'range' })[0];
  assert.deepEqual(range.target, { kind: 'range', startNs: String(T0), endNs: String(T0 + 10n) }, 'nanoseconds beyond 2^53 survive');
  assert.throws(() => addAnnotation(db, { target: { kind: 'packet', packetId: 99 }, text: 'x' }), /packet 99 is not in this case/);
  assert.throws(() => addAnnotation(db, { target: { kind: 'flow', flowId: 9 }, text: 'x' }), /flow 9 is not in this case/);
  assert.throws(() => addAnnotation(db, { target: { kind: 'host', addr: '1.2.3.4' }, text: 'x' }), /host 1\.2\.3\.4 is not in this case/);
  assert.throws(() => addAnnotation(db, { target: { kind: 'finding', findingId: 7 }, text: 'x' }), /finding 7 is not in this case/);
  assert.throws(() => addAnnotation(db, { target: { kind: 'range', startNs: '5', endNs: '4' }, text: 'x' }), /starts after it ends/);
  assert.throws(() => addAnnotation(db, { target: { kind: 'packet', packetId: 1 } }), /needs a note or at least one tag/);
  assert.deepEqual(orphanedAnnotations(db), []);
  db.exec('DELETE FROM packets WHERE id = 1');
  assert.deepEqual(orphanedAnnotations(db), [{ id: 1, target: 'packet 1' }]);
});

test('hostile text is stored exactly as given, within the documented cap', () => {
  const db = fixture();
  const hostile = '<script>alert(1)</script>\u202Egnp.exe\u0007\u001b[31m red \r\n<img src=x onerror=alert(2)>';
  const a = addAnnotation(db, { target: { kind: 'packet', packetId: 2 }, text: hostile });
  assert.equal(getAnnotation(db, a.id)!.text, hostile);
  const atCap = 'x'.repeat(ANNOTATION_LIMITS.noteChars);
  assert.equal(addAnnotation(db, { target: { kind: 'case' }, text: atCap }).text.length, ANNOTATION_LIMITS.noteChars);
  assert.throws(() => addAnnotation(db, { target: { kind: 'case' }, text: 'y'.repeat(1_000_000) }), /note is too long \(1,000,000 characters; the limit is 65,536\)/);
  assert.throws(() => addAnnotation(db, { target: { kind: 'case' }, text: 'a\0b' }), /NUL/);
  assert.throws(() => addAnnotation(db, { target: { kind: 'case' }, tags: ['evil\u202Etag'] }), /invisible formatting/);
  assert.throws(() => addAnnotation(db, { target: { kind: 'case' }, tags: ['a,b'] }), /comma/);
  assert.throws(() => addAnnotation(db, { target: { kind: 'case' }, tags: Array.from({ length: 17 }, (_, i) => `t${i}`) }), /too many tags/);
});

test('capture comments are adopted once, cannot be altered, and can be superseded', () => {
  const db = fixture();
  db.exec("INSERT INTO capture_comments (capture_id, scope, packet_id, text) VALUES (1, 'packet', 5, 'seen by the sensor')");
  assert.equal(adoptCaptureComments(db), 1);
  assert.equal(adoptCaptureComments(db), 0, 'a second import does not duplicate them');
  const [c] = listAnnotations(db);
  assert.deepEqual([c.source, c.text, c.author, c.target], ['capture-comment', 'seen by the sensor', 'capture file fixture.pcap.gz', { kind: 'packet', packetId: 5 }]);
  assert.throws(() => editAnnotation(db, c.id, { text: 'changed' }), /comment from the capture file and cannot be altered; supersede it/);
  const s = supersedeAnnotation(db, c.id, { text: 'actually a scanner', tags: ['benign'] });
  assert.equal(s.supersedesId, c.id);
  assert.equal(getAnnotation(db, c.id)!.supersededBy, s.id);
  assert.equal(getAnnotation(db, c.id)!.text, 'seen by the sensor', 'the original text stays');
});

test('filter fields: annotation, annotation.tag/.text/.author and frame.comment', () => {
  const db = fixture();
  addAnnotation(db, { target: { kind: 'packet', packetId: 4 }, text: 'Login REQUEST', tags: ['malicious'] });
  addAnnotation(db, { target: { kind: 'packet', packetId: 7 }, tags: ['benign'] });
  const gone = addAnnotation(db, { target: { kind: 'packet', packetId: 9 }, text: 'deleted later', tags: ['malicious'] });
  deleteAnnotation(db, gone.id);
  addAnnotation(db, { target: { kind: 'flow', flowId: 1 }, text: 'flow note', tags: ['malicious'] });
  db.exec("INSERT INTO capture_comments (capture_id, scope, packet_id, text) VALUES (1, 'packet', 12, 'sensor says hi')");
  adoptCaptureComments(db);
  process.env.FLOWCASE_ANALYST = 'bob';
  addAnnotation(db, { target: { kind: 'packet', packetId: 16 }, text: 'bob was here' });
  process.env.FLOWCASE_ANALYST = 'alice';

  assert.deepEqual(matching(db, 'annotation'), [4, 7, 12, 16]);
  assert.deepEqual(matching(db, '!annotation').length, 18 - 4);
  assert.deepEqual(matching(db, 'annotation.tag == "malicious"'), [4], 'deleted and flow annotations do not tag packets');
  assert.deepEqual(matching(db, 'annotation.tag in {"malicious" "benign"}'), [4, 7]);
  assert.deepEqual(matching(db, 'annotation.text contains "REQUEST"'), [4]);
  assert.deepEqual(matching(db, 'annotation.author == "bob"'), [16]);
  assert.deepEqual(matching(db, 'frame.comment'), [4, 12, 16], 'an empty note is not a comment');
  assert.deepEqual(matching(db, 'frame.comment contains "sensor"'), [12]);
  assert.deepEqual(matching(db, 'frame.comment matches "^login"'), [4]);

  const rows = pagePackets(db, { limit: 20 }).rows;
  assert.deepEqual(rows.filter((r) => r.annotated).map((r) => r.id), [4, 7, 12, 16]);
  const forPacket = annotationsForPacket(db, 3);
  assert.deepEqual([forPacket.packet.length, forPacket.flow.map((x) => x.text), forPacket.hosts.length], [0, ['flow note'], 0]);
  assert.deepEqual([...tagsByTarget(db, 'flow', ['1', '2']).entries()], [['1', ['malicious']]]);
  const marks = annotationMarks(db);
  assert.deepEqual(marks.points.map((p) => [p.packetId, p.tags]), [[4, ['malicious']], [7, ['benign']], [12, []], [16, []]]);
  assert.equal(marks.points[0].tsNs, String(T0 + 3n * 500_000_000n));
  assert.deepEqual(listAnnotations(db, { filter: 'annotation.tag == "malicious"' }).map((a) => a.text), ['Login REQUEST']);
  assert.deepEqual(listAnnotations(db, { tag: 'malicious' }).map((a) => a.text), ['Login REQUEST', 'flow note']);
  assert.deepEqual(listAnnotations(db, { text: 'login' }).length, 1);
  assert.deepEqual(listAnnotations(db, { author: 'bob' }).map((a) => a.text), ['bob was here']);
  assert.deepEqual(listAnnotations(db, { kind: 'flow' }).length, 1);
});
