/**
 * The report editor's live preview: analyst Markdown parsed by markdown-it (raw HTML off, so
 * "<script>" in the source stays text) into a small tree that Svelte renders with text
 * interpolation only (components/MarkdownNodes.svelte); no HTML string ever reaches the DOM.
 * Same options as the exports (electron/export/markdown-html.ts): no images, links as text, except
 * packet citations (`[1234](#packet=1234)`), which become `packet` nodes the view makes clickable.
 * "[Analyst: …]" placeholders become `mark` nodes; {{…}} linked numbers are resolved first.
 */
import MarkdownIt from 'markdown-it';
import { parsePacketRoute } from './packet-link';

export type MdNode =
  | { t: 'text'; text: string }
  | { t: 'mark'; text: string }
  | { t: 'code'; text: string }
  | { t: 'br' }
  | { t: 'el'; tag: 'h1' | 'h2' | 'h3' | 'h4' | 'p' | 'ul' | 'ol' | 'li' | 'strong' | 'em' | 's' | 'blockquote' | 'table' | 'thead' | 'tbody' | 'tr' | 'th' | 'td'; children: MdNode[] }
  | { t: 'pre'; text: string }
  | { t: 'packet'; id: number; children: MdNode[] }
  | { t: 'hr' };

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.disable(['image']);

const PLACEHOLDER = /\[Analyst:[^\]\n]*\]/g;
const TOKEN = /\{\{((?:finding:\d{1,9}:[A-Za-z][A-Za-z0-9]{0,63})|(?:case:[a-z]{1,32}))\}\}/g;

export function resolveLinks(markdown: string, links: Record<string, string>): string {
  return markdown.replace(TOKEN, (whole, key: string) => links[key] ?? whole);
}

function textNodes(text: string): MdNode[] {
  const out: MdNode[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index! > last) out.push({ t: 'text', text: text.slice(last, m.index) });
    out.push({ t: 'mark', text: m[0] });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ t: 'text', text: text.slice(last) });
  return out;
}

type Tok = ReturnType<typeof md.parse>[number];
const BLOCK_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 's']);

/** Builds the tree from a flat token list (open/close pairs nest; inline tokens carry children). */
function build(tokens: Tok[]): MdNode[] {
  const root: MdNode[] = [];
  const stack: MdNode[][] = [root];
  const top = () => stack[stack.length - 1];
  let inPacket = false;
  for (const tok of tokens) {
    if (tok.type === 'inline') { top().push(...build(tok.children ?? [])); continue; }
    if (tok.type === 'text') { top().push(...textNodes(tok.content)); continue; }
    if (tok.type === 'code_inline') { top().push({ t: 'code', text: tok.content }); continue; }
    if (tok.type === 'softbreak') { top().push({ t: 'text', text: ' ' }); continue; }
    if (tok.type === 'hardbreak') { top().push({ t: 'br' }); continue; }
    if (tok.type === 'fence' || tok.type === 'code_block') { top().push({ t: 'pre', text: tok.content }); continue; }
    if (tok.type === 'hr') { top().push({ t: 'hr' }); continue; }
    if (tok.type === 'link_open') {
      const link = parsePacketRoute(String(tok.attrGet('href') ?? ''));
      if (link && link.caseId === null) {
        const el: MdNode = { t: 'packet', id: link.packetId, children: [] };
        top().push(el);
        stack.push(el.children);
        inPacket = true;
      }
      continue; // any other link shows as its text
    }
    if (tok.type === 'link_close') {
      if (inPacket && stack.length > 1) stack.pop();
      inPacket = false;
      continue;
    }
    if (tok.nesting === 1 && BLOCK_TAGS.has(tok.tag)) {
      const el: MdNode = { t: 'el', tag: tok.tag as Extract<MdNode, { t: 'el' }>['tag'], children: [] };
      top().push(el);
      stack.push(el.children);
    } else if (tok.nesting === -1 && BLOCK_TAGS.has(tok.tag)) {
      if (stack.length > 1) stack.pop();
    } else if (tok.content) {
      top().push(...textNodes(tok.content));
    }
  }
  return root;
}

export function markdownTree(markdown: string, links: Record<string, string> = {}): MdNode[] {
  return build(md.parse(resolveLinks(markdown, links), {}));
}

export function placeholdersIn(markdown: string): string[] {
  return [...markdown.matchAll(PLACEHOLDER)].map((m) => m[0]);
}
