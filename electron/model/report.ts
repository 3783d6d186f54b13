/** The stored report as the renderer sees it: versions, sections, placeholders, linked numbers. */

export interface ReportSectionInput { key: string; title: string; level: 2 | 3; markdown: string }

export interface ReportSection extends ReportSectionInput {
  /** The Markdown as drafted from the case (null for a section the analyst added). */
  generated: string | null;
}

export interface ReportVersionInfo {
  id: number;
  documentId: number;
  number: number;
  title: string;
  author: string;
  note: string;
  createdAt: string;
  finalisedAt: string | null;
  finalisedBy: string | null;
  contentSha256: string | null;
}

export interface ReportVersion extends ReportVersionInfo {
  sections: ReportSection[];
  frozenMarkdown: string | null;
  frozenSections: ReportSection[] | null;
}

export interface ReportPlaceholder { sectionKey: string; sectionTitle: string; text: string }

export interface ReportView {
  documentId: number;
  caseName: string;
  versions: ReportVersionInfo[];
  current: ReportVersion;
  placeholders: ReportPlaceholder[];
  /** Values of the linked-number tokens ({{finding:3:attackSyns}} → "12,948"), for the live preview. */
  links: Record<string, string>;
}

export interface ReportDiffLine { op: ' ' | '+' | '-'; text: string }

export interface ReportExportFile {
  fileName: string;
  /** Text for md/html, base64 for pdf. */
  content: string;
  encoding: 'utf8' | 'base64';
  sha256: string | null;
}

export interface BundleSummary {
  path: string; zip: boolean; bagName: string; files: number; payloadBytes: number; evidencePackets: number;
  manifestSha256: string; tagmanifestSha256: string; custodySeq: number;
}

export interface BundleVerification {
  ok: boolean; problems: string[]; bag: string; payloadFiles: number; evidencePackets: number; comparedWithOriginals: number;
}
