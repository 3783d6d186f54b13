/**
 * The handshake comparison of a SYN-flood finding, as the report's figure: the pair the Ladder
 * view's "Compare handshakes" shows (query/ladder.ts handshakePair), each side's first packets read
 * through the same ladder query, with case-relative times (the report's Time column).
 */
import type { CaseDb } from '../../../db/open-case';
import { caseFirstTsNs } from '../../../db/case-meta';
import type { LadderArrow, LadderPage } from '../../model/graph';
import { handshakePair, ladderPage } from '../../query/ladder';
import { arrowClass, arrowLabel, formatSeconds, markText } from '../../../renderer/src/charts/ladder-layout';
import { MAX_HANDSHAKE_ARROWS, type HandshakeArrow, type HandshakeFigure, type HandshakeSide } from '../../../renderer/src/charts/handshake-svg';

/** The handshake is over once the client ACKs without SYN after the server's SYN/ACK. */
function handshakeArrows(page: LadderPage): LadderArrow[] {
  const out: LadderArrow[] = [];
  let synAck = false;
  for (const a of page.arrows) {
    out.push(a);
    if (a.from === 1 && /SYN/.test(a.flags) && /ACK/.test(a.flags)) synAck = true;
    if (synAck && a.from === 0 && /ACK/.test(a.flags) && !/SYN/.test(a.flags)) break;
    if (out.length >= MAX_HANDSHAKE_ARROWS) break;
  }
  return out;
}

function side(db: CaseDb, flowId: number, heading: string, attack: boolean): HandshakeSide | null {
  const page = ladderPage(db, { flowId, limit: MAX_HANDSHAKE_ARROWS + 2 });
  if (page.arrows.length === 0 || page.columns.length < 2) return null;
  const drawn = attack ? page.arrows.slice(0, MAX_HANDSHAKE_ARROWS) : handshakeArrows(page);
  const base = caseFirstTsNs(db);
  const ts = db.prepare('SELECT CAST(ts_ns AS TEXT) FROM packets WHERE id = ?').pluck();
  const arrows: HandshakeArrow[] = drawn.map((a) => ({
    packetId: a.packetId,
    timeSec: Number(BigInt(ts.get(a.packetId) as string) - base) / 1e9,
    fromClient: a.from === 0,
    label: arrowLabel(a),
    mark: markLine(a),
    tone: arrowClass(a),
  }));
  const acked = page.arrows.some((a) => a.from === 0 && /ACK/.test(a.flags) && !/SYN/.test(a.flags));
  return { heading, client: page.columns[0], server: page.columns[1], arrows, more: page.total - arrows.length, missingAck: attack && !acked };
}

/** The arrow's marks in one short line: a retransmitted, never-ACKed SYN/ACK says both in few words. */
function markLine(a: LadderArrow): string | null {
  if (a.marks.length === 0) return null;
  const full = a.marks.map(markText).join(' · ');
  if (full.length <= 44) return full;
  return a.marks.map((m) => (m.kind === 'half-open' ? 'never ACKed' : m.kind === 'retransmission' ? `retransmitted after ${formatSeconds(m.backoffSec)}` : markText(m))).join(' · ');
}

export function handshakeFigure(db: CaseDb, findingId: number, number: number): HandshakeFigure | null {
  const pair = handshakePair(db, findingId);
  if (!pair.completed && !pair.attack) return null;
  return {
    title: `Figure ${number}. Finding #${findingId}: a completed client handshake beside an attack handshake`,
    completed: pair.completed ? side(db, pair.completed.flowId, `Completed client handshake (${pair.completed.client})`, false) : null,
    attack: pair.attack ? side(db, pair.attack.flowId, `Attack handshake (${pair.attack.source})`, true) : null,
  };
}
