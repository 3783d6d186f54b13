/**
 * The Report view's state: the stored report (current version, its sections as edited but not
 * yet saved), versions and a diff, and the actions that go through the report.* and bundle.*
 * channels. Saving makes a new version; a finalised version is shown read-only.
 */
import type { BundleSummary, BundleVerification, ReportDiffLine, ReportSectionInput, ReportView } from '../../../electron/model/report.js';
import { call, toCallError } from '../lib/api.js';
import { placeholdersIn } from '../lib/markdown-tree.js';

export class ReportState {
  report = $state.raw<ReportView | null>(null);
  title = $state('');
  sections = $state<ReportSectionInput[]>([]);
  selected = $state(0);
  dirty = $state(false);
  busy = $state(false);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  diff = $state.raw<ReportDiffLine[] | null>(null);
  bundle = $state.raw<BundleSummary | null>(null);
  verification = $state.raw<BundleVerification | null>(null);

  readonly placeholders = $derived(this.sections.flatMap((s, i) => placeholdersIn(s.markdown).map((text) => ({ index: i, title: s.title, text }))));
  readonly finalised = $derived(!!this.report?.current.finalisedAt);

  private take(r: ReportView): void {
    this.report = r;
    this.title = r.current.title;
    this.sections = r.current.sections.map(({ key, title, level, markdown }) => ({ key, title, level, markdown }));
    this.selected = Math.min(this.selected, Math.max(0, this.sections.length - 1));
    this.dirty = false;
  }

  private async run<T>(what: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.error = null;
    this.message = null;
    try {
      return await what();
    } catch (e) {
      this.error = toCallError(e).message;
      return null;
    } finally {
      this.busy = false;
    }
  }

  async load(versionId?: number): Promise<void> {
    const r = await this.run(() => call('report.open', versionId ? { versionId } : {}));
    if (r) this.take(r);
  }

  edit(i: number, patch: Partial<ReportSectionInput>): void {
    this.sections[i] = { ...this.sections[i], ...patch };
    this.dirty = true;
  }

  add(): void {
    this.sections.splice(this.selected + 1, 0, { key: '', title: 'New section', level: 2, markdown: '' });
    this.selected += 1;
    this.dirty = true;
  }

  remove(i: number): void {
    this.sections.splice(i, 1);
    this.selected = Math.max(0, Math.min(this.selected, this.sections.length - 1));
    this.dirty = true;
  }

  move(i: number, by: -1 | 1): void {
    const j = i + by;
    if (j < 0 || j >= this.sections.length) return;
    const [s] = this.sections.splice(i, 1);
    this.sections.splice(j, 0, s);
    this.selected = j;
    this.dirty = true;
  }

  async save(): Promise<void> {
    const r = this.report;
    if (!r) return;
    const out = await this.run(() => call('report.save', { documentId: r.documentId, title: this.title, sections: $state.snapshot(this.sections) }));
    if (out) { this.take(out); this.message = `Saved as version ${out.current.number}.`; }
  }

  async refresh(): Promise<void> {
    const r = this.report;
    if (!r) return;
    const out = await this.run(() => call('report.refresh', { documentId: r.documentId }));
    if (out) { this.take(out); this.message = `Numbers refreshed from the case: version ${out.current.number}.`; }
  }

  async finalise(): Promise<void> {
    const r = this.report;
    if (!r) return;
    if (this.dirty) await this.save();
    const out = await this.run(() => call('report.finalise', { documentId: r.documentId }));
    if (out) { this.take(out); this.message = `Version ${out.current.number} finalised: SHA-256 ${out.current.contentSha256}.`; }
  }

  async showDiff(fromId: number, toId: number): Promise<void> {
    this.diff = await this.run(() => call('report.diff', { fromId, toId }));
  }

  async exportAs(format: 'md' | 'html' | 'pdf', paper: 'A4' | 'LETTER' = 'A4'): Promise<void> {
    const version = this.report?.current.number;
    const file = await this.run(() => call('report.export', { format, paper, ...(version ? { version } : {}) }));
    if (!file) return;
    const bytes = file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : file.content;
    const type = format === 'pdf' ? 'application/pdf' : format === 'html' ? 'text/html;charset=utf-8' : 'text/markdown;charset=utf-8';
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.message = `Exported ${file.fileName}.`;
  }

  async exportBundle(path: string, includeCaptures: boolean): Promise<void> {
    this.verification = null;
    this.bundle = await this.run(() => call('bundle.export', { path, includeCaptures }));
    if (this.bundle) this.message = `Evidence bundle written to ${this.bundle.path} (${this.bundle.evidencePackets} evidence packets).`;
  }

  async verifyBundle(path: string): Promise<void> {
    this.verification = await this.run(() => call('bundle.verify', { path }));
  }
}
