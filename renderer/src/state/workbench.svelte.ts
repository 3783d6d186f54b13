/**
 * The workbench: owns every piece of state and the actions that tie them together, so the
 * data flow is explicit (an action says which views it refreshes) rather than hidden in
 * effects. Components call these actions and read the state.
 */
import type { FindingSummary, PacketRow } from '../../../electron/ipc/contract.js';
import type { LadderQuery } from '../../../electron/model/graph.js';
import { call, canChooseNatively, chooseCaptures, connectApi, onEvent, pathForFile, toCallError, uploadCapture } from '../lib/api.js';
import { nsAddSec, nsDiffSec, nsMax, nsMin } from '../lib/ns-time.js';
import { explainEmpty, stillAppliedText, type ChipKind, type EmptyExplanation } from '../lib/scope-text.js';
import { CaseState } from './case-state.svelte.js';
import { DetailState } from './detail-state.svelte.js';
import { FindingState } from './finding-state.svelte.js';
import { FilterState } from './filter-state.svelte.js';
import { PacketList } from './packet-list.svelte.js';
import { FlowTable, HostTable } from './table-state.svelte.js';
import { TimelineState } from './timeline-state.svelte.js';
import { CompareState, GraphState, HostPanelState, LadderState } from './graph-state.svelte.js';
import { AnnotationState } from './annotation-state.svelte.js';
import type { Annotation, AnnotationTarget } from '../../../electron/model/annotation.js';
import { FIXED_TAG_ORDER } from '../lib/tags.js';
import { ReportState } from './report-state.svelte.js';
import { ThemeState } from './theme-state.svelte.js';
import { parsePacketRoute, type PacketLink } from '../lib/packet-link.js';

export type ViewName = 'overview' | 'timeline' | 'packets' | 'conversations' | 'endpoints' | 'findings' | 'graph' | 'ladder' | 'annotations' | 'report';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

/** Commands the shell (menu, shortcuts) can send to the UI. */
export type UiCommand = 'open-capture' | 'find' | 'goto' | 'export-report';

function throttle(fn: () => void, ms: number): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    const now = Date.now();
    const wait = last + ms - now;
    if (wait <= 0) {
      last = now;
      fn();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        fn();
      }, wait);
    }
  };
}

export class Workbench {
  view = $state<ViewName>('overview');
  notices = $state.raw<Notice[]>([]);
  ready = $state(false);
  /** What the last scope change left applied ("the TIME chip still applies"), until the next change. */
  scopeNote = $state<string | null>(null);
  /** Why the scope holds no packets, naming the chip(s) that emptied it. */
  empty = $state.raw<EmptyExplanation | null>(null);
  /** The chart zoom was set by opening a finding (so closing the finding resets it). */
  private findingZoom = false;

  readonly caseState = new CaseState();
  readonly filter = new FilterState();
  readonly packets = new PacketList((id) => {
    void this.detail.load(id);
    void this.annotations.loadPacket(id);
  });
  readonly detail = new DetailState();
  /** The finding whose evidence restricts the list, with its detail once loaded. */
  readonly finding = new FindingState();
  readonly timeline = new TimelineState();
  readonly flows = new FlowTable();
  readonly hosts = new HostTable();
  readonly graph = new GraphState();
  readonly hostPanel = new HostPanelState();
  readonly ladder = new LadderState();
  readonly compare = new CompareState();
  /** The Ladder view shows one ladder, or a completed and an attack handshake side by side. */
  ladderMode = $state<'single' | 'compare'>('single');
  readonly annotations = new AnnotationState();
  /** The row selected in Conversations / Endpoints, for A and T+digit there. */
  selectedFlowId = $state<number | null>(null);
  selectedHost = $state<string | null>(null);
  readonly report = new ReportState();
  readonly theme = new ThemeState();

  /** Receives the commands the shell's menu sends (open capture, find, go to, export). */
  private readonly onCommand: (cmd: UiCommand) => void;
  private nextNotice = 1;
  private liveRefresh = throttle(() => void this.refreshLive(), 1500);

  constructor(onCommand: (cmd: UiCommand) => void) {
    this.onCommand = onCommand;
    this.annotations.onchange = () => void this.afterAnnotationChange();
    this.annotations.onerror = (m) => this.notify(m);
  }

  async start(): Promise<void> {
    try {
      await connectApi();
    } catch (e) {
      this.notify(toCallError(e).message);
      return;
    }
    onEvent('ingest.progress', (p) => {
      this.caseState.onProgress(p);
      this.liveRefresh();
    });
    onEvent('ingest.done', (d) => {
      this.caseState.onDone(d);
      if (d.cancelled) this.notify('Import cancelled. The packets read so far are kept.', 'info');
      else if (!d.ok) this.notify(`Import failed: ${d.errors.join('; ') || 'unknown error'}`);
      else if (d.errors.length) this.notify(`Imported ${d.packets.toLocaleString('en-US')} packets with problems: ${d.errors.join('; ')}`, 'info');
      void this.refreshAll();
    });
    onEvent('case.changed', () => void this.refreshAll());
    onEvent('menu.command', ({ command }) => this.onCommand(command as UiCommand));
    // A flowcase://packet/N link opened in the desktop shell, checked there and here (packet-link.ts).
    onEvent('link.packet', (link) => void this.openPacketLink(link));
    this.ready = true;
    await this.refreshAll();
    // Browser mode: a #packet=N route (also what a report's packet citation points at).
    window.addEventListener('hashchange', () => void this.followRoute());
    await this.followRoute();
  }

  /** Acts on a #packet=N[&case=ID] hash once, then clears it so the same link works again. */
  private async followRoute(): Promise<void> {
    if (!location.hash) return;
    const link = parsePacketRoute(location.hash);
    if (!link) return;
    history.replaceState(history.state, '', location.pathname + location.search);
    await this.openPacketLink(link);
  }

  /** A packet link from a report: only in the case it was written from. */
  async openPacketLink(link: PacketLink): Promise<void> {
    const caseId = this.caseState.overview?.caseId ?? null;
    if (link.caseId !== null && link.caseId !== caseId) {
      this.notify(`That link is for packet ${link.packetId} of another case (case id ${link.caseId.slice(0, 12)}…): open that case, then follow the link again.`);
      return;
    }
    await this.revealPacket(link.packetId);
  }

  /** A cited packet (Report preview, a report's link, an annotation): the packet list with it selected and shown. */
  async revealPacket(id: number): Promise<void> {
    this.showView('packets');
    if (await this.packets.goTo(id)) return;
    // Not in the current scope: clear it, then select the packet.
    this.clearAll();
    await this.packets.reset(this.filter.query, id);
    if (this.packets.selectedId !== id) this.notify(`There is no packet ${id} in this case.`);
  }

  notify(message: string, kind: Notice['kind'] = 'error'): void {
    this.notices = [...this.notices.filter((n) => n.message !== message), { id: this.nextNotice++, kind, message }].slice(-4);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  /** Everything that depends on the case contents. */
  async refreshAll(): Promise<void> {
    await this.caseState.refresh();
    if (this.caseState.error) this.notify(this.caseState.error);
    const o = this.caseState.overview;
    await Promise.all([
      this.timeline.load(o?.firstTs ?? null, o?.lastTs ?? null),
      this.reloadPackets(),
      this.flows.loaded ? this.flows.load() : Promise.resolve(),
      this.hosts.loaded ? this.hosts.load() : Promise.resolve(),
      this.annotations.refresh(),
    ]);
  }

  /** During an import: counts, timeline and the tail of the list grow live. */
  private async refreshLive(): Promise<void> {
    await this.caseState.refresh();
    const o = this.caseState.overview;
    await Promise.all([this.timeline.load(o?.firstTs ?? null, o?.lastTs ?? null), this.packets.refreshTail()]);
  }

  showView(v: ViewName): void {
    this.view = v;
    if (v === 'conversations' && !this.flows.loaded) void this.flows.load();
    if (v === 'endpoints' && !this.hosts.loaded) void this.hosts.load();
    if (v === 'annotations') void this.annotations.loadList();
  }

  // ------------------------------------------------------------ annotations

  /** After this window changed an annotation: markers in the list and tag columns follow. */
  private async afterAnnotationChange(): Promise<void> {
    await Promise.all([
      this.packets.refreshRows(),
      this.flows.loaded ? this.flows.load() : Promise.resolve(),
      this.hosts.loaded ? this.hosts.load() : Promise.resolve(),
    ]);
  }

  /** What A and T+digit act on in the current view: the selected packet, conversation or endpoint. */
  selectedTarget(): { target: AnnotationTarget; label: string; existing: Annotation[] } | null {
    if ((this.view === 'packets' || this.view === 'timeline') && this.packets.selectedId !== null) {
      const id = this.packets.selectedId;
      const own = this.annotations.packet?.packet ?? [];
      return { target: { kind: 'packet', packetId: id }, label: `packet ${id}`, existing: own };
    }
    if (this.view === 'conversations' && this.selectedFlowId !== null) {
      const f = this.flows.rows.find((r) => r.id === this.selectedFlowId);
      const label = f ? `conversation ${f.src}:${f.sport} → ${f.dst}:${f.dport} (${f.proto})` : `conversation ${this.selectedFlowId}`;
      return { target: { kind: 'flow', flowId: this.selectedFlowId }, label, existing: [] };
    }
    if (this.view === 'endpoints' && this.selectedHost !== null) {
      return { target: { kind: 'host', addr: this.selectedHost }, label: `host ${this.selectedHost}`, existing: [] };
    }
    const finding = this.finding.open ? this.finding.detail : null;
    if (finding) {
      return { target: { kind: 'finding', findingId: finding.id }, label: `finding #${finding.id}: ${finding.title}`, existing: this.annotations.finding };
    }
    return null;
  }

  /** A: open the annotate box on the selection. */
  annotateSelected(): boolean {
    const sel = this.selectedTarget();
    if (!sel) return false;
    void this.annotations.open(sel.target, sel.label);
    return true;
  }

  /** T then 1–6: apply that fixed tag to the selection. */
  async quickTagSelected(digit: number): Promise<boolean> {
    const tag = FIXED_TAG_ORDER[digit - 1];
    const sel = this.selectedTarget();
    if (!tag || !sel) return false;
    let existing = sel.existing;
    if (sel.target.kind === 'flow' || sel.target.kind === 'host') {
      existing = await call('annotations.forTarget', { kind: sel.target.kind, ref: sel.target.kind === 'flow' ? String(sel.target.flowId) : sel.target.addr }).catch(() => []);
    }
    await this.annotations.quickTag(sel.target, tag, existing);
    return true;
  }

  editAnnotation(a: Annotation): void {
    void this.annotations.open(a.target, a.source === 'capture-comment' ? `capture comment #${a.id}` : `annotation #${a.id}`, a);
  }

  /** From the Annotations view: show the annotated thing where it lives. */
  async jumpToAnnotation(a: Annotation): Promise<void> {
    const t = a.target;
    switch (t.kind) {
      case 'packet':
        await this.revealPacket(t.packetId);
        break;
      case 'flow': {
        const { filter } = await call('annotations.flowFilter', { id: t.flowId });
        if (filter) this.filterOn(filter);
        else this.notify(`Conversation ${t.flowId} is not in this case.`);
        break;
      }
      case 'host':
        this.filterOn(t.addr.includes(':') ? `ipv6.addr == ${t.addr}` : `ip.addr == ${t.addr}`);
        break;
      case 'range':
        this.setTimeRange(t.startNs, t.endNs);
        this.view = 'timeline';
        break;
      case 'finding': {
        const f = this.caseState.findings.find((x) => x.id === t.findingId);
        if (f) await this.openFinding(f);
        break;
      }
      case 'case':
        this.showView('overview');
        break;
    }
  }

  // ------------------------------------------------------------ filter

  /**
   * Applies the draft filter if it is valid (an invalid filter changes nothing). It replaces the
   * FILTER chip; the note says which other chips still narrow the views.
   */
  async applyFilter(text: string = this.filter.draft): Promise<boolean> {
    const f = text.trim();
    this.filter.draft = text;
    const viewAtApply = this.view;
    if (f) {
      const err = await this.filter.check(f);
      if (err) return false;
    } else {
      this.filter.draftError = null;
    }
    this.filter.applied = f;
    if (f) this.filter.remember(f);
    this.scopeNote = stillAppliedText('filter', this.filter.chips);
    this.scopeChanged();
    // The graph and the ladder follow the list's scope, so applying a filter there stays there. A view
    // chosen while the filter was being checked is the analyst's newer choice: it stays too.
    if (this.view === viewAtApply && this.view !== 'packets' && this.view !== 'timeline' && this.view !== 'graph' && this.view !== 'ladder') this.view = 'packets';
    return true;
  }

  clearFilter(): void {
    this.filter.draft = '';
    this.filter.draftError = null;
    if (this.filter.applied) {
      this.filter.applied = '';
      this.scopeNote = null;
      this.scopeChanged();
    }
  }

  /** The × on one chip. */
  removeChip(chip: ChipKind): void {
    if (chip === 'filter') this.clearFilter();
    else if (chip === 'time') this.clearTimeRange();
    else this.clearFinding();
  }

  /** Clear all: filter, time range and evidence off, the chart back to the whole case. */
  clearAll(): void {
    this.filter.draft = '';
    this.filter.draftError = null;
    this.filter.applied = '';
    this.filter.from = null;
    this.filter.to = null;
    this.filter.findingId = null;
    this.finding.close();
    this.findingZoom = false;
    this.timeline.viewFrom = null;
    this.timeline.viewTo = null;
    this.scopeNote = null;
    this.reloadTimeline();
    this.scopeChanged();
  }

  /** The scope changed: every view that shows it reloads (tables only once they have been shown). */
  scopeChanged(): void {
    void this.reloadPackets();
    this.flows.setScope(this.filter.query);
    this.hosts.setScope(this.filter.query);
    this.timeline.setScope(this.filter.query);
  }

  /** Reloads the list; when it comes back empty, finds out which chip emptied it. */
  private async reloadPackets(): Promise<void> {
    const q = this.filter.query;
    this.empty = null;
    await this.packets.reset(q);
    if (this.packets.query !== q || this.packets.total !== 0) return;
    const chips = this.filter.chips;
    const counts: Partial<Record<ChipKind, number>> = {};
    if (chips.length > 1) {
      await Promise.all(chips.map(async (c) => {
        counts[c] = (await call('packets.count', this.filter.without(c)).catch(() => ({ count: 0 }))).count;
      }));
    }
    if (this.packets.query === q) this.empty = explainEmpty(chips, counts);
  }

  /** "Filter on this conversation/endpoint" and top talkers. */
  filterOn(text: string): void {
    void this.applyFilter(text).then((ok) => {
      if (ok) this.view = 'packets';
    });
  }

  // ------------------------------------------------------------ graph, host panel, ladder

  /** The per-host panel, from the graph, the Endpoints table, top talkers or the detail view. */
  openHost(addr: string): void {
    void this.hostPanel.open(addr);
  }

  /** "Filter the graph to this host": the same display filter, staying in the Graph view. */
  async filterGraph(text: string): Promise<void> {
    if (await this.applyFilter(text)) this.view = 'graph';
  }

  /** Expand a node in place: its peers join the graph without leaving it. */
  expandNode(id: string): void {
    if (!this.graph.expand.includes(id)) this.graph.expand = [...this.graph.expand, id];
    this.view = 'graph';
  }

  openLadder(q: LadderQuery): void {
    this.ladderMode = 'single';
    this.compare.clear();
    void this.ladder.open(q);
    this.view = 'ladder';
  }

  /** "Compare handshakes" on a SYN-flood finding. */
  compareHandshakes(findingId: number): void {
    this.ladderMode = 'compare';
    void this.compare.open(findingId);
    this.view = 'ladder';
  }

  /** "Follow conversation": the list filtered to the packet's stream, and its ladder. */
  async followConversation(row: Pick<PacketRow, 'id' | 'flowId' | 'ipProto'>): Promise<void> {
    if (row.flowId === null) {
      this.notify(`Packet ${row.id} belongs to no conversation (it is not TCP, UDP or ICMP).`, 'info');
      return;
    }
    const field = row.ipProto === 6 ? 'tcp.stream' : row.ipProto === 17 ? 'udp.stream' : null;
    if (field) await this.applyFilter(`${field} == ${row.flowId}`);
    this.openLadder({ flowId: row.flowId });
  }

  // ------------------------------------------------------------ time

  /** Timeline brush: zoom the chart and restrict the list to [from, to]. */
  setTimeRange(from: string, to: string): void {
    this.timeline.viewFrom = from;
    this.timeline.viewTo = to;
    this.filter.from = from;
    this.filter.to = to;
    if (this.view === 'overview') this.view = 'timeline';
    this.findingZoom = false;
    this.reloadTimeline();
    this.scopeNote = stillAppliedText('time', this.filter.chips);
    this.scopeChanged();
  }

  resetZoom(): void {
    this.timeline.viewFrom = null;
    this.timeline.viewTo = null;
    this.findingZoom = false;
    const hadRange = this.filter.from !== null;
    this.filter.from = null;
    this.filter.to = null;
    this.reloadTimeline();
    if (hadRange) {
      this.scopeNote = null;
      this.scopeChanged();
    }
  }

  clearTimeRange(): void {
    this.resetZoom();
  }

  reloadTimeline(): void {
    const o = this.caseState.overview;
    void this.timeline.load(o?.firstTs ?? null, o?.lastTs ?? null);
  }

  // ------------------------------------------------------------ findings

  /** Finding card click: zoom to its window, restrict the list to its evidence, open its detail. */
  async openFinding(f: FindingSummary): Promise<void> {
    this.filter.findingId = f.id;
    void this.annotations.loadFinding(f.id);
    // The chart zooms to the finding unless the analyst chose a time range; closing the finding undoes it.
    if (this.filter.from === null) {
      this.zoomTo(f.startTs, f.endTs);
      this.findingZoom = true;
    }
    if (this.view === 'overview' || this.view === 'findings' || this.view === 'conversations' || this.view === 'endpoints') {
      this.view = 'packets';
    }
    this.scopeNote = stillAppliedText('evidence', this.filter.chips);
    this.scopeChanged();
    // After the list's requests, as before: the evidence list is what the analyst waits for.
    await this.finding.load(f.id);
  }

  clearFinding(): void {
    this.filter.findingId = null;
    this.finding.close();
    void this.annotations.loadFinding(null);
    if (this.findingZoom) {
      this.findingZoom = false;
      this.timeline.viewFrom = this.filter.from;
      this.timeline.viewTo = this.filter.to;
      this.reloadTimeline();
    }
    this.scopeNote = null;
    this.scopeChanged();
  }

  /** Zooms the chart (not the list) to a window with some context either side. */
  zoomTo(startNs: string, endNs: string): void {
    const o = this.caseState.overview;
    const span = Math.max(nsDiffSec(endNs, startNs), 0);
    const pad = Math.max(span * 0.15, 0.001);
    let from = nsAddSec(startNs, -pad);
    let to = nsAddSec(endNs, pad);
    if (o?.firstTs) from = nsMax(from, o.firstTs);
    if (o?.lastTs) to = nsMin(to, o.lastTs);
    if (BigInt(to) <= BigInt(from)) to = nsAddSec(from, 0.001);
    this.timeline.viewFrom = from;
    this.timeline.viewTo = to;
    this.reloadTimeline();
  }

  // ------------------------------------------------------------ captures

  async openNative(): Promise<void> {
    if (!canChooseNatively()) return;
    try {
      const paths = await chooseCaptures();
      if (paths.length) await this.importPaths(paths);
    } catch (e) {
      this.notify(toCallError(e).message);
    }
  }

  async importPaths(paths: string[]): Promise<boolean> {
    const list = paths.map((p) => p.trim()).filter(Boolean);
    if (!list.length) return false;
    try {
      this.caseState.starting = list.join(', ');
      await call('capture.import', { paths: list });
      return true;
    } catch (e) {
      this.caseState.starting = null;
      this.notify(toCallError(e).message);
      return false;
    }
  }

  /** Dropped or chosen files: by path when the shell knows it (Electron), else uploaded. */
  async importFiles(files: File[]): Promise<void> {
    const paths = files.map((f) => pathForFile(f)).filter((p): p is string => !!p);
    if (paths.length === files.length && paths.length) {
      await this.importPaths(paths);
      return;
    }
    for (const file of files) {
      try {
        this.caseState.starting = `uploading ${file.name}`;
        await uploadCapture(file);
      } catch (e) {
        this.caseState.starting = null;
        this.notify(toCallError(e).message);
      }
    }
  }

  async cancelImport(): Promise<void> {
    const p = this.caseState.progress;
    if (!p) return;
    try {
      await call('capture.cancel', { jobId: p.jobId });
    } catch (e) {
      this.notify(toCallError(e).message);
    }
  }

  async relocate(captureId: number, path: string): Promise<boolean> {
    try {
      const info = await call('capture.relocate', { captureId, path: path.trim() });
      await this.refreshAll();
      if (info.integrity !== 'ok') this.notify(info.integrityDetail ?? `The file at ${path} is ${info.integrity}.`);
      return info.integrity === 'ok';
    } catch (e) {
      this.notify(toCallError(e).message);
      return false;
    }
  }

  // ------------------------------------------------------------ report

  async exportReport(format: 'md' | 'html'): Promise<void> {
    try {
      const { content, fileName } = await call('report.export', { format });
      const type = format === 'html' ? 'text/html' : 'text/markdown';
      const url = URL.createObjectURL(new Blob([content], { type: `${type};charset=utf-8` }));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName || `flowcase-report.${format}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      this.notify(toCallError(e).message);
    }
  }
}
