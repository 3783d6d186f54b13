/**
 * Analyst Markdown to HTML, safely: markdown-it with raw HTML disabled (so `<script>` in the
 * source is shown as text), no images (nothing is fetched), and links rendered as their text (a
 * report handed to someone else should not send them anywhere). The one exception is a packet
 * citation, `[1234](#packet=1234)`: with `packetUrl` it becomes a link that opens the packet in
 * Flowcase (renderer/src/lib/packet-link.ts), its text still the readable number. "[Analyst: …]"
 * placeholders are highlighted. The renderer's live preview uses the same rules (renderer/src/lib/markdown-tree.ts).
 */
import MarkdownIt from 'markdown-it';
import { parsePacketRoute } from '../../renderer/src/lib/packet-link';
import { escapeHtml } from './html-escape';

type Md = ReturnType<typeof MarkdownIt>;
type Tok = ReturnType<Md['parse']>[number];

/** markdown-it's render env (a type alias: markdown-it wants an index-signature-compatible object). */
export type MarkdownEnv = {
  /** The href for a cited packet; without it packet citations are plain text too. */
  packetUrl?: (packetId: number) => string;
};

let md: Md | null = null;

/** The packet a link token cites, when its destination is `#packet=N` (and nothing else). */
export function citedPacket(token: Tok): number | null {
  if (token.type !== 'link_open') return null;
  const link = parsePacketRoute(String(token.attrGet('href') ?? ''));
  return link && link.caseId === null ? link.packetId : null;
}

export function markdownIt(): Md {
  if (md) return md;
  md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.disable(['image']);
  md.renderer.rules.link_open = (tokens, idx, _o, env) => {
    const id = citedPacket(tokens[idx]);
    const packetUrl = (env as MarkdownEnv | undefined)?.packetUrl;
    if (id === null || !packetUrl) return '';
    tokens[idx].meta = { packet: true };
    return `<a class="packet" href="${escapeHtml(packetUrl(id))}" title="Open packet ${id} in Flowcase">`;
  };
  md.renderer.rules.link_close = (tokens, idx) => {
    // Links do not nest: the nearest link_open before this token is its own.
    for (let i = idx - 1; i >= 0; i--) if (tokens[i].type === 'link_open') return tokens[i].meta?.packet ? '</a>' : '';
    return '';
  };
  return md;
}

const PLACEHOLDER_HTML = /\[Analyst:[^\]<\n]*\]/g;

export function markdownToHtml(markdown: string, env: MarkdownEnv = {}): string {
  return markdownIt().render(markdown, env).replace(PLACEHOLDER_HTML, (m: string) => `<mark class="placeholder">${m}</mark>`);
}
