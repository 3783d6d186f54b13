/**
 * One packet in full: its list row, the decoded layer tree and the frame's bytes, which are read
 * back from the source capture (the case stores only offsets). A missing or changed source is
 * not an error: the row and everything indexed stay available, and `bytesError` says what to do.
 */
import type { CaseDb } from '../../db/open-case';
import type { PacketDetail } from '../model/packet';
import { ApiFailure } from '../model/api-error';
import { readFrameBytes } from '../capture/read-back';
import { decodeFrame } from '../decode/decode-frame';
import { newSummary, type TreeNode } from '../decode/packet-summary';
import { captureIntegrity, type CaptureDbRow } from './overview';
import { pagePackets } from './packet-query';
import { tcpStreamContext } from './tcp-stream-context';

interface DetailDbRow {
  id: number; capture_id: number; frame_no: number; if_index: number; caplen: number; origlen: number; data_offset: number;
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function linkTypeOf(db: CaseDb, captureId: number, ifIndex: number, fallback: string): number {
  const iface = db.prepare('SELECT link_type FROM interfaces WHERE capture_id = ? AND if_index = ?').get(captureId, ifIndex) as { link_type: number } | undefined;
  if (iface) return iface.link_type;
  try {
    const list: unknown = JSON.parse(fallback);
    if (Array.isArray(list) && typeof list[0] === 'number') return list[0];
  } catch { /* fall through */ }
  return 1; // Ethernet: by far the most common, and the decoder flags anything it cannot parse
}

export async function packetDetail(db: CaseDb, id: number): Promise<PacketDetail> {
  const p = db.prepare('SELECT id, capture_id, frame_no, if_index, coalesce(caplen, origlen) AS caplen, origlen, data_offset FROM packets WHERE id = ?').get(id) as DetailDbRow | undefined;
  if (!p) throw new ApiFailure('not-found', `packet ${id} is not in this case`);
  const row = pagePackets(db, { after: id - 1, limit: 1 }).rows[0];
  if (!row || row.id !== id) throw new ApiFailure('not-found', `packet ${id} is not in this case`);
  const cap = db.prepare('SELECT path, name, size, mtime_ms, sha256, compressed, link_types FROM captures WHERE id = ?')
    .get(p.capture_id) as (Pick<CaptureDbRow, 'path' | 'name' | 'size' | 'mtime_ms' | 'sha256' | 'compressed' | 'link_types'>) | undefined;
  const comments = (db.prepare("SELECT text FROM capture_comments WHERE packet_id = ? AND scope = 'packet' ORDER BY id").all(id) as Array<{ text: string }>).map((c) => c.text);

  const frameNode: TreeNode = {
    label: `Frame ${p.frame_no}: ${p.origlen} bytes on wire, ${p.caplen} bytes captured${cap ? ` (${cap.name})` : ''}`,
    start: 0,
    length: p.caplen,
  };
  const detail: PacketDetail = {
    id,
    row,
    captureName: cap?.name ?? '',
    frameNo: p.frame_no,
    tree: [frameNode],
    bytesHex: null,
    comments,
  };
  if (!cap) {
    detail.bytesError = `capture missing — relocate it: the capture this packet came from (#${p.capture_id}) is not recorded in the case.`;
    return detail;
  }
  const check = captureIntegrity(cap);
  if (check.integrity !== 'ok') {
    detail.bytesError = check.detail ?? `capture ${check.integrity} — relocate it`;
    return detail;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFrameBytes(cap.path, p.data_offset, p.caplen, cap.compressed === 1);
  } catch (err) {
    detail.bytesError = `could not read frame ${p.frame_no} from ${cap.path} at byte ${p.data_offset}: ${(err as Error).message}. If the file was moved or replaced, relocate it.`;
    return detail;
  }
  detail.bytesHex = toHex(bytes);
  const tree: TreeNode[] = [];
  try {
    // Relative numbers, window scaling and reassembled records need the flow's other packets.
    const stream = tcpStreamContext(db, id);
    decodeFrame(linkTypeOf(db, p.capture_id, p.if_index, cap.link_types), bytes, newSummary(), tree, p.origlen, stream);
  } catch (err) {
    // Decoders are meant never to throw; if one does, the bytes are still worth showing.
    tree.push({ label: `[Decoder error: ${(err as Error).message}]`, start: 0, length: bytes.length });
  }
  // Keep our Frame summary on top unless the decoder already produced one.
  detail.tree = tree.length > 0 && /^Frame\b/.test(tree[0].label) ? tree : [frameNode, ...tree];
  return detail;
}
