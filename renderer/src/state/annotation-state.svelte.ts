/**
 * Annotations in the UI: the Annotations view's list and filters, what the detail pane, the
 * finding panel and the timeline show, the annotate box, the analyst name, the custody line, and
 * undo/redo of this window's own changes. Every change goes through the service (which keeps the
 * history and the custody log); `onchange` tells the workbench which views to refresh.
 */
import type {
  Annotation, AnnotationMarks, AnnotationPatch, AnnotationQuery, AnnotationTarget, CustodyStatus, PacketAnnotations,
} from '../../../electron/model/annotation.js';
import { call, toCallError } from '../lib/api.js';

/** What the annotate box is editing: a new annotation on `target`, or an existing one. */
export interface AnnotateBoxState {
  target: AnnotationTarget;
  /** "packet 17", "conversation 10.0.0.1:51000 → 10.0.0.2:80" … */
  label: string;
  editing: Annotation | null;
}

/** One undoable step and how to reverse it. */
type Step =
  | { kind: 'add'; id: number }
  | { kind: 'edit'; id: number; before: AnnotationPatch; after: AnnotationPatch }
  | { kind: 'delete'; id: number }
  | { kind: 'restore'; id: number };

const UNDO_DEPTH = 50;

export class AnnotationState {
  list = $state.raw<Annotation[]>([]);
  listError = $state<string | null>(null);
  query = $state<{ tag: string; author: string; kind: AnnotationQuery['kind'] | ''; text: string; deleted: boolean }>({
    tag: '', author: '', kind: '', text: '', deleted: false,
  });
  marks = $state.raw<AnnotationMarks>({ points: [], ranges: [] });
  packet = $state.raw<PacketAnnotations | null>(null);
  finding = $state.raw<Annotation[]>([]);
  custody = $state.raw<CustodyStatus | null>(null);
  analyst = $state.raw<{ name: string; set: boolean } | null>(null);
  box = $state.raw<AnnotateBoxState | null>(null);
  boxError = $state<string | null>(null);
  undoStack = $state.raw<Step[]>([]);
  redoStack = $state.raw<Step[]>([]);

  private packetId: number | null = null;
  private findingId: number | null = null;

  /** Set by the workbench: refresh what shows annotations elsewhere (packet rows, tables). */
  onchange: () => void = () => {};
  /** Set by the workbench: report an error. */
  onerror: (message: string) => void = () => {};

  // ------------------------------------------------------------ loading

  async refresh(): Promise<void> {
    await Promise.all([this.loadList(), this.loadMarks(), this.loadCustody(), this.loadPacket(this.packetId), this.loadFinding(this.findingId)]);
  }

  async loadList(): Promise<void> {
    const q = this.query;
    const args: AnnotationQuery = {};
    if (q.tag.trim()) args.tag = q.tag.trim();
    if (q.author.trim()) args.author = q.author.trim();
    if (q.kind) args.kind = q.kind;
    if (q.text.trim()) args.text = q.text.trim();
    if (q.deleted) args.includeDeleted = true;
    try {
      this.list = await call('annotations.list', args);
      this.listError = null;
    } catch (e) {
      this.listError = toCallError(e).message;
    }
  }

  async loadMarks(): Promise<void> {
    try {
      this.marks = await call('annotations.marks', {});
    } catch {
      this.marks = { points: [], ranges: [] };
    }
  }

  async loadCustody(): Promise<void> {
    try {
      this.custody = await call('custody.status', {});
    } catch {
      this.custody = null;
    }
  }

  async loadPacket(id: number | null): Promise<void> {
    this.packetId = id;
    if (id === null) {
      this.packet = null;
      return;
    }
    try {
      const got = await call('annotations.forPacket', { id });
      if (this.packetId === id) this.packet = got;
    } catch {
      if (this.packetId === id) this.packet = null;
    }
  }

  async loadFinding(id: number | null): Promise<void> {
    this.findingId = id;
    if (id === null) {
      this.finding = [];
      return;
    }
    try {
      const got = await call('annotations.forTarget', { kind: 'finding', ref: String(id) });
      if (this.findingId === id) this.finding = got;
    } catch {
      if (this.findingId === id) this.finding = [];
    }
  }

  // ------------------------------------------------------------ the annotate box

  async open(target: AnnotationTarget, label: string, editing: Annotation | null = null): Promise<void> {
    this.boxError = null;
    if (!this.analyst) {
      try {
        this.analyst = await call('analyst.get', {});
      } catch {
        this.analyst = null;
      }
    }
    this.box = { target, label, editing };
  }

  close(): void {
    this.box = null;
    this.boxError = null;
  }

  /** Save the box: a new annotation, an edit, or (for a capture comment) a superseding annotation. */
  async save(text: string, tags: string[], includeInReport: boolean, analystName: string | null): Promise<boolean> {
    const box = this.box;
    if (!box) return false;
    try {
      if (analystName !== null && analystName.trim() && analystName.trim() !== this.analyst?.name) {
        this.analyst = await call('analyst.set', { name: analystName.trim() });
      }
      const patch: AnnotationPatch = { text, tags, includeInReport };
      const was = box.editing;
      if (!was) {
        const a = await call('annotations.add', { target: box.target, ...patch });
        this.push({ kind: 'add', id: a.id });
      } else if (was.source === 'capture-comment') {
        const a = await call('annotations.supersede', { id: was.id, ...patch });
        this.push({ kind: 'add', id: a.id });
      } else {
        await call('annotations.edit', { id: was.id, ...patch });
        this.push({ kind: 'edit', id: was.id, before: { text: was.text, tags: was.tags, includeInReport: was.includeInReport }, after: patch });
      }
      this.close();
      await this.changed();
      return true;
    } catch (e) {
      this.boxError = toCallError(e).message;
      return false;
    }
  }

  /** T then a digit: add the tag to the target's newest own annotation, or a new tag-only one. */
  async quickTag(target: AnnotationTarget, tag: string, existing: Annotation[]): Promise<void> {
    try {
      const mine = [...existing].reverse().find((a) => a.source === 'analyst' && !a.deleted);
      if (mine) {
        if (mine.tags.includes(tag)) return;
        const after = { tags: [...mine.tags, tag] };
        await call('annotations.edit', { id: mine.id, ...after });
        this.push({ kind: 'edit', id: mine.id, before: { tags: mine.tags }, after });
      } else {
        const a = await call('annotations.add', { target, tags: [tag] });
        this.push({ kind: 'add', id: a.id });
      }
      await this.changed();
    } catch (e) {
      this.onerror(toCallError(e).message);
    }
  }

  async remove(a: Annotation): Promise<void> {
    await this.apply({ kind: 'delete', id: a.id }, true);
  }

  async restore(a: Annotation): Promise<void> {
    await this.apply({ kind: 'restore', id: a.id }, true);
  }

  // ------------------------------------------------------------ undo / redo

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  async undo(): Promise<void> {
    const step = this.undoStack.at(-1);
    if (!step) return;
    try {
      await this.run(inverse(step));
      this.undoStack = this.undoStack.slice(0, -1);
      this.redoStack = [...this.redoStack, step];
      await this.changed();
    } catch (e) {
      this.onerror(`Undo failed: ${toCallError(e).message}`);
    }
  }

  async redo(): Promise<void> {
    const step = this.redoStack.at(-1);
    if (!step) return;
    try {
      await this.run(step.kind === 'add' ? { kind: 'restore', id: step.id } : step);
      this.redoStack = this.redoStack.slice(0, -1);
      this.undoStack = [...this.undoStack, step];
      await this.changed();
    } catch (e) {
      this.onerror(`Redo failed: ${toCallError(e).message}`);
    }
  }

  private push(step: Step): void {
    this.undoStack = [...this.undoStack.slice(-(UNDO_DEPTH - 1)), step];
    this.redoStack = [];
  }

  private async apply(step: Step, record: boolean): Promise<void> {
    try {
      await this.run(step);
      if (record) this.push(step);
      await this.changed();
    } catch (e) {
      this.onerror(toCallError(e).message);
    }
  }

  private async run(step: Step): Promise<void> {
    switch (step.kind) {
      case 'add': return void (await call('annotations.restore', { id: step.id }));
      case 'edit': return void (await call('annotations.edit', { id: step.id, ...step.after }));
      case 'delete': return void (await call('annotations.delete', { id: step.id }));
      case 'restore': return void (await call('annotations.restore', { id: step.id }));
    }
  }

  private async changed(): Promise<void> {
    await this.refresh();
    this.onchange();
  }
}

/** The step that undoes `s`: an add is undone by deleting (a tombstone), an edit by the old values. */
function inverse(s: Step): Step {
  switch (s.kind) {
    case 'add': return { kind: 'delete', id: s.id };
    case 'edit': return { kind: 'edit', id: s.id, before: s.after, after: s.before };
    case 'delete': return { kind: 'restore', id: s.id };
    case 'restore': return { kind: 'delete', id: s.id };
  }
}
