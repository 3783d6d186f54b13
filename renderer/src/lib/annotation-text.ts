/** Short text for annotation targets in the UI. */
import type { AnnotationTarget } from '../../../electron/model/annotation.js';
import { formatUtc } from './ns-time.js';

export function targetText(t: AnnotationTarget): string {
  switch (t.kind) {
    case 'packet': return `packet ${t.packetId}`;
    case 'flow': return `conversation ${t.flowId}`;
    case 'host': return `host ${t.addr}`;
    case 'range': return `${formatUtc(t.startNs, 3)} – ${formatUtc(t.endNs, 3)}`;
    case 'finding': return `finding #${t.findingId}`;
    case 'case': return 'the case';
  }
}

// Bidirectional overrides and isolates (U+202A–202E, U+2066–2069), other invisible format
// characters and C0/C1 controls except tab and newline.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A note as shown: stored exactly as written, but characters that would reorder or hide text
 * (an RTL override turning "txt.exe" around) are shown as visible code points.
 */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
