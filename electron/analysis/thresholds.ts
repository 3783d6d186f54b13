/**
 * Every detector threshold, in one place, with its default and the reason for it.
 * A case can override any of them with a JSON object in case_meta key 'thresholds'
 * (same shape, partial), and a caller can override both with the `overrides` argument of
 * runDetectors. Later sources win: defaults < case_meta < argument.
 */
import type { CaseDb } from '../../db/open-case';

export const DEFAULT_THRESHOLDS = {
  /** Evidence rows stored per finding; evidence_total always holds the exact count. */
  evidenceCap: 5000,

  synFlood: {
    /** Sliding window over the SYNs sent to one ip:port. */
    windowSec: 10,
    /** A window is "hot" with at least this many SYNs (retransmissions included)... */
    minSynsInWindow: 100,
    /** ...of which at least this share never completed the handshake (half-open or unanswered). */
    minIncompleteRatio: 0.6,
    /** At most this many attacking sources, or one source sending most SYNs, is a DoS; more is a DDoS. */
    ddosMinSources: 20,
    /** A single source above this share of the attack SYNs makes it a DoS whatever the source count. */
    dosTopSourceShare: 0.8,
    /** Spoofing indicator: sources spread over at least this many distinct /16s per source (0..1). */
    spoofMin16PerSource: 0.5,
    /** Spoofing indicator: at least this share of sources never completed any handshake. */
    spoofMinNeverCompleted: 0.95,
    /** The server "stopped answering" when no SYN was answered for this long while SYNs kept coming. */
    stoppedAnsweringSec: 5,
    /** Legitimate-client impact is counted until this long after the last attack SYN. */
    impactGraceSec: 10,
    /** A completed handshake slower than this counts as degraded for a legitimate client. */
    slowHandshakeMs: 200,
    /** Severity critical from this peak SYN rate (per second)... */
    criticalSynPerSec: 1000,
    /** ...or when at least this many legitimate clients saw failed connections. */
    criticalImpactedClients: 3,
  },

  unreachable: {
    /** Medium when at least this many errors hit a service that never answered anyone in the case. */
    mediumMinErrors: 3,
    /** High from this many errors (service never answered). */
    highMinErrors: 10,
    /** Errors on late *responses* (the client had given up) are medium only from this many. */
    lateResponseMediumMinErrors: 10,
  },

  portScan: {
    /**
     * The counts below are made within a sliding window of this many seconds over the scanner's
     * probes (5 minutes, as Zeek's scan.zeek): counted over a whole capture, clients that now and
     * then fail to reach a server add up to a "scan" once the capture is long enough. The
     * finding covers the scan period only (overlapping hot windows merged).
     * Limitation: a slow scan that never probes minPorts/minHosts keys within one window (nmap
     * -T0/-T1 style, one probe every 15 s or slower) is not reported; to hunt for one, raise this
     * window in the case's threshold overrides (e.g. 86400), accepting the false positives above.
     * UDP scans use the window as a gate (enough distinct ports in one window); their finding
     * still counts the pair's datagrams over the whole capture.
     */
    windowSec: 300,
    /** Vertical scan: one source probing at least this many ports of one host (within the window). */
    minPorts: 20,
    /** Horizontal scan: one source probing one port on at least this many hosts (within the window). */
    minHosts: 20,
    /** At least this share of the probed keys must fail (closed, filtered): browsing succeeds. */
    minFailedRatio: 0.5,
    /** UDP scans send few datagrams per port; more than this looks like an application. */
    udpMaxPacketsPerPort: 3,
    /** Severity high from this many ports or hosts probed. */
    highMinTargets: 5000,
  },

  icmpFlood: {
    windowSec: 10,
    /** Echo requests to one target within the window. */
    minPacketsInWindow: 1000,
    /** High from this peak rate (packets per second) or from ddosMinSources sources. */
    highPacketsPerSec: 2000,
    ddosMinSources: 20,
  },

  udpFlood: {
    windowSec: 10,
    /** UDP datagrams to one target within the window. */
    minPacketsInWindow: 2000,
    /** The target answers at most this share (a busy but healthy server answers most). */
    maxReplyRatio: 0.2,
    /** At least this many distinct (source, source port, destination port) flows: one stream is not a flood. */
    minFlows: 20,
    highPacketsPerSec: 2000,
    ddosMinSources: 20,
  },

  dns: {
    windowSec: 60,
    /** NXDOMAIN answers to one client within the window (DGA, typo storms)... */
    nxdomainMinCount: 20,
    /** ...making up at least this share of that client's answered queries in the window. */
    nxdomainMinRatio: 0.5,
    /** SERVFAIL answers from one server within the window. */
    servfailMinCount: 10,
    /** Unanswered queries to one server within the window... */
    unansweredMinCount: 10,
    /** ...making up at least this share of its queries in the window. */
    unansweredMinRatio: 0.5,
    /** High when at least this many clients were affected. */
    highMinClients: 3,
  },

  arp: {
    /** Gratuitous ARPs from one MAC within the window. */
    gratuitousWindowSec: 10,
    gratuitousMinCount: 50,
    /** Claims of one IP alternating between MACs at least this many times is poisoning, not a NIC swap. */
    spoofMinSwitches: 2,
  },
};

export type Thresholds = typeof DEFAULT_THRESHOLDS;
export type ThresholdOverrides = { [K in keyof Thresholds]?: Thresholds[K] extends object ? Partial<Thresholds[K]> : Thresholds[K] };

/** Copy `over` onto `base` one level deep, accepting only known keys with numeric values. */
function merge(base: Thresholds, over: unknown): Thresholds {
  if (!over || typeof over !== 'object') return base;
  const out = structuredClone(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    const cur = out[k];
    if (typeof cur === 'number' && typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else if (cur && typeof cur === 'object' && v && typeof v === 'object') {
      const group = cur as Record<string, unknown>;
      for (const [gk, gv] of Object.entries(v as Record<string, unknown>)) {
        if (typeof group[gk] === 'number' && typeof gv === 'number' && Number.isFinite(gv)) group[gk] = gv;
      }
    }
  }
  return out as Thresholds;
}

/** Defaults, then the case's own overrides (case_meta 'thresholds'), then the caller's. */
export function resolveThresholds(db: CaseDb, overrides?: ThresholdOverrides): Thresholds {
  let t = structuredClone(DEFAULT_THRESHOLDS);
  const row = db.prepare("SELECT value FROM case_meta WHERE key = 'thresholds'").get() as { value: string } | undefined;
  if (row) {
    try { t = merge(t, JSON.parse(row.value)); }
    catch { /* an unreadable override must not stop the analysis: the defaults apply */ }
  }
  return merge(t, overrides);
}
