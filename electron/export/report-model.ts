/**
 * The report as a small document tree, built once from the case (report-content.ts) and rendered
 * twice (Markdown, HTML). Both renderers escape every text they receive, so no content path can
 * forget to: packet text is attacker-controlled and ends up in tables and paragraphs alike.
 */

export type Block =
  | { type: 'p'; text: string }
  /** Text the analyst must supply before the report is final: "[Analyst: …]", highlighted and listed. */
  | { type: 'placeholder'; text: string }
  | { type: 'list'; items: string[]; ordered?: boolean }
  /** `links[r][c]`, when set, names the case number a cell shows ("finding:3:attackSyns"): see report-links.ts. */
  /** `packetColumn`: the column whose cells are packet numbers, cited as links back to the packet (renderer/src/lib/packet-link.ts). */
  | { type: 'table'; head: string[]; rows: string[][]; caption?: string; links?: Array<Array<string | undefined>>; packetColumn?: number };

export interface Section {
  title: string;
  /** 2 for a top-level section, 3 for a subsection. */
  level: 2 | 3;
  blocks: Block[];
}

export interface ReportDoc {
  title: string;
  /** Lines under the title: the draft notice and the case facts. */
  preface: string[];
  /** The case status and each capture's integrity as checked now (report-status.ts): always shown first, never stored in a saved report. */
  status: string[];
  sections: Section[];
}

export interface ReportOptions {
  /** Generation time printed in the preface; fixed in tests for stable output. */
  now?: Date;
  /** Evidence rows shown per role in "What the logs show" (the first ones, plus the last). */
  excerptPerRole?: number;
}
