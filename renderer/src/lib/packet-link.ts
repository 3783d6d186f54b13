/**
 * Links from a report back to a packet in Flowcase. One packet citation has three spellings:
 *
 *   #packet=1234                              in the report's Markdown, and the renderer's route
 *                                             (browser mode: http://127.0.0.1:PORT/#packet=1234)
 *   #packet=1234&case=<32 hex>                the route with the case it belongs to
 *   flowcase://packet/1234?case=<32 hex>      in exported HTML and PDF: the desktop app registers
 *                                             the scheme and routes it to the same place
 *
 * The case id is the first 32 hex digits of the hash of the case's first custody entry, which
 * the log's triggers keep from ever changing (query/case-link-id.ts): a link opens its packet only
 * in the case it was written from. Every input is checked here, whole, before anything acts on it:
 * the scheme and host, a packet number of at most 15 digits, an optional 32-hex case id, nothing
 * else. Pure (no DOM, no Node): the renderer, the Electron shell and the exports share it.
 */

export interface PacketLink {
  packetId: number;
  caseId: string | null;
}

export const PACKET_LINK_SCHEME = 'flowcase';
const MAX_LINK_CHARS = 200;
const PACKET = /^[1-9][0-9]{0,14}$/;
const CASE_ID = /^[0-9a-f]{32}$/;

/** The Markdown destination of a packet citation: `[1234](#packet=1234)`. */
export function packetHref(packetId: number): string {
  return `#packet=${packetId}`;
}

/** The renderer route, with the case when known. */
export function packetRoute(link: PacketLink): string {
  return `#packet=${link.packetId}${link.caseId ? `&case=${link.caseId}` : ''}`;
}

/** What an exported report links to: opens the packet in the desktop app. */
export function packetUrl(link: PacketLink): string {
  return `${PACKET_LINK_SCHEME}://packet/${link.packetId}${link.caseId ? `?case=${link.caseId}` : ''}`;
}

function checked(packet: string | null | undefined, caseId: string | null | undefined): PacketLink | null {
  if (!packet || !PACKET.test(packet)) return null;
  if (caseId !== null && caseId !== undefined && !CASE_ID.test(caseId)) return null;
  return { packetId: Number(packet), caseId: caseId ?? null };
}

/** `#packet=N` or `#packet=N&case=ID` (a URL's hash, or a Markdown destination). Null for anything else. */
export function parsePacketRoute(hash: string): PacketLink | null {
  if (hash.length > MAX_LINK_CHARS) return null;
  const m = /^#packet=([^&]*)(?:&case=([^&]*))?$/.exec(hash);
  return m ? checked(m[1], m[2]) : null;
}

/** `flowcase://packet/N` or `flowcase://packet/N?case=ID`. Null for anything else. */
export function parsePacketUrl(url: string): PacketLink | null {
  if (url.length > MAX_LINK_CHARS) return null;
  const m = /^flowcase:\/\/packet\/([^/?#]*)\/?(?:\?case=([^&#]*))?$/i.exec(url);
  return m ? checked(m[1], m[2]) : null;
}
