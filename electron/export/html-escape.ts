/**
 * HTML-safe text for element content and quoted attribute values (OWASP rule #1 and #2):
 * the five characters that can end a text node or an attribute are replaced by entities.
 */
import { stripControls } from './markdown-escape';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return stripControls(String(text)).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
