/**
 * The typed contract between the renderer and the services: one source of truth for both
 * transports (Electron IPC and browser mode). The renderer imports *types only* from here.
 *
 * The lists themselves live in one table each: channels in channels.ts, events in events.ts,
 * error codes in api-failure.ts; the types below derive from them. The domain types the channels
 * carry live in electron/model/ and are re-exported here for the renderer.
 *
 * Timestamps cross the boundary as { sec, nsec } pairs or as nanosecond strings, because
 * epoch nanoseconds do not fit in a JavaScript number.
 */
import type { ArgsOf, Channel, ResultOf } from './channels';
import type { EventName, Events } from './events';

export type { ArgsOf, Channel, Channels, ResultOf } from './channels';
export type { EventName, Events } from './events';
export type { ApiError, ErrorCode } from '../model/api-error';

export type { CaptureInfo } from '../model/capture';
export type { Endpoint } from '../model/endpoint';
export type { FilterCheck } from '../model/filter-check';
export type { EvidenceQuery, Finding, FindingSummary } from '../model/finding';
export type { FlowRow } from '../model/flow';
export type * from '../model/graph';
export type { HostRow } from '../model/host';
export type { IngestDone, IngestProgress } from '../model/ingest-progress';
export type { ListQuery } from '../model/list-query';
export type { CaseOverview, Talker } from '../model/overview';
export type { PacketDetail, PacketPage, PacketQuery, PacketRow } from '../model/packet';
export type { Severity } from '../model/severity';
export type { NsString } from '../model/time';
export type { TimelineDim, TimelineMetric, TimelineQuery, TimelineSeries } from '../model/timeline';

/**
 * What the Electron preload exposes on `window.flowcase` through contextBridge: one named method
 * per channel (no generic invoke), plus a subscription for the typed push events.
 * Browser mode provides the same shape over HTTP + WebSocket (renderer/src/lib/api.ts).
 */
export type ChannelMethods = { [C in Channel]: (args: ArgsOf<C>) => Promise<ResultOf<C>> };
export interface PreloadApi extends ChannelMethods {
  readonly transport: 'electron';
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Native file dialog (Electron only); resolves to the chosen paths, empty when cancelled. */
  chooseCaptures(): Promise<string[]>;
  /**
   * The file-system path of a File dropped on the window (sandboxed pages cannot read File.path);
   * the renderer then passes the paths to `capture.import`. Typed `object` because this module is
   * compiled without the DOM library; pass a DOM `File`.
   */
  pathForFile?(file: object): string;
}
// Channel methods on `window.flowcase` reject with a plain ApiError object ({ code, message, position? }),
// the same shape browser mode returns in the body of a 4xx/5xx response.
