/**
 * Analyst Markdown to HTML, safely: markdown-it with raw HTML disabled (so `<script>` in the
 * source is shown as text), no images (nothing is fetched), and links rendered as their text (a
 * report handed to someone else should not send them anywhere). "[Analyst: …]" placeholders are
 * highlighted. The same options are used by the renderer's live preview (renderer/src/lib/markdown.ts).
 */
import MarkdownIt from 'markdown-it';

type Md = ReturnType<typeof MarkdownIt>;

let md: Md | null = null;

export function markdownIt(): Md {
  if (md) return md;
  md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.disable(['image']);
  md.renderer.rules.link_open = () => '';
  md.renderer.rules.link_close = () => '';
  return md;
}

const PLACEHOLDER_HTML = /\[Analyst:[^\]<\n]*\]/g;

export function markdownToHtml(markdown: string): string {
  return markdownIt().render(markdown).replace(PLACEHOLDER_HTML, (m: string) => `<mark class="placeholder">${m}</mark>`);
}
