/**
 * ARP abuse on the local link (MITRE T1557.002, ARP Cache Poisoning):
 *  - one IP claimed by several MACs whose claims keep alternating: someone is answering for an
 *    address that is not theirs (a man in the middle). A single, permanent change is an address
 *    moving to new hardware and is reported at low severity only;
 *  - a gratuitous-ARP storm: one MAC announcing addresses (sender IP = target IP) far more often
 *    than the few announcements a booting host makes (RFC 5227 §2.3).
 */
import { formatDuration, formatWhen, n } from './case-time';
import type { DetectorContext } from './detector-context';
import { clamp01, DraftFinding, EvidenceSet } from './finding';
import { markHotEvents } from './sliding-window';

interface Claim { id: number; t: number; op: number; mac: string; ip: string; target_ip: string; target_mac: string }

const MITRE = { id: 'T1557.002', name: 'Adversary-in-the-Middle: ARP Cache Poisoning' };

export function detectArpSpoofing(ctx: DetectorContext): DraftFinding[] {
  // CROSS JOIN: ARP messages first, each packet looked up by id (not every packet through packets_by_ts).
  const claims = ctx.db.prepare(`SELECT a.packet_id AS id, p.ts_ns - ? AS t, a.op, a.sender_mac AS mac, a.sender_ip AS ip,
      a.target_ip, a.target_mac
    FROM arp_messages a CROSS JOIN packets p ON p.id = a.packet_id
    WHERE a.sender_ip != '0.0.0.0' ORDER BY p.ts_ns, p.id`).all(ctx.baseNs) as Claim[];
  return [...conflictingClaims(ctx, claims), ...gratuitousStorms(ctx, claims)];
}

function conflictingClaims(ctx: DetectorContext, claims: Claim[]): DraftFinding[] {
  const byIp = new Map<string, Claim[]>();
  for (const c of claims) (byIp.get(c.ip) ?? byIp.set(c.ip, []).get(c.ip)!).push(c);
  // Requests by (asked-for IP, asker IP), in time order, to tell solicited replies from unsolicited ones.
  const requests = new Map<string, number[]>();
  for (const q of claims) if (q.op === 1) { const k = `${q.target_ip}|${q.ip}`; (requests.get(k) ?? requests.set(k, []).get(k)!).push(q.t); }
  const wasAsked = (ip: string, asker: string, t: number) => (requests.get(`${ip}|${asker}`) ?? []).some((qt) => qt <= t && t - qt < 1e9);
  const out: DraftFinding[] = [];
  for (const [ip, list] of [...byIp.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const macs = [...new Set(list.map((c) => c.mac))];
    if (macs.length < 2) continue;
    let switches = 0;
    const switchTimes: number[] = [];
    for (let i = 1; i < list.length; i++) if (list[i].mac !== list[i - 1].mac) { switches++; switchTimes.push(list[i].t); }
    // Replies nobody asked for: no request for this IP from the reply's target shortly before.
    const unsolicited = new Map<string, number>();
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (c.op !== 2) continue;
      if (!wasAsked(ip, c.target_ip, c.t)) unsolicited.set(c.mac, (unsolicited.get(c.mac) ?? 0) + 1);
    }
    const perMac = macs.map((mac) => {
      const own = list.filter((c) => c.mac === mac);
      return { mac, claims: own.length, first: own[0].t, last: own[own.length - 1].t, unsolicited: unsolicited.get(mac) ?? 0 };
    });
    // The likely impostor: the MAC with the most unsolicited replies, else the one that appeared later.
    const suspect = [...perMac].sort((a, b) => b.unsolicited - a.unsolicited || b.first - a.first)[0];
    const evidence = new EvidenceSet();
    evidence.addAll('conflicting-claim', list.filter((c) => c.mac === suspect.mac).map((c) => c.id));
    evidence.addAll('claim', list.filter((c) => c.mac !== suspect.mac).map((c) => c.id));
    const spoof = switches >= ctx.th.arp.spoofMinSwitches;
    const when = (rel: number) => formatWhen(ctx.baseNs, rel);
    const start = list[0].t, end = list[list.length - 1].t;
    const macText = perMac.map((m) => `${m.mac} (${n(m.claims)} claims from ${when(m.first)}, ${n(m.unsolicited)} unsolicited replies)`).join('; ');
    const victims = [...new Set(list.filter((c) => c.mac === suspect.mac && c.op === 2).map((c) => c.target_ip))];
    out.push({
      kind: spoof ? 'arp-spoof' : 'arp-ip-moved',
      title: spoof
        ? `ARP spoofing: ${ip} claimed by ${n(macs.length)} MACs, suspect ${suspect.mac}`
        : `${ip} moved from ${list[0].mac} to ${list[list.length - 1].mac}`,
      severity: spoof ? 'high' : 'low',
      confidence: spoof ? clamp01(0.6 + Math.min(switches, 10) * 0.03 + (suspect.unsolicited > 0 ? 0.1 : 0)) : 0.4,
      startTsNs: ctx.abs(start),
      endTsNs: ctx.abs(end),
      targets: [{ addr: ip, service: 'arp' }],
      sources: perMac.map((m) => ({ addr: m.mac })),
      metrics: { macs: macs.length, claims: list.length, switches, unsolicitedReplies: [...unsolicited.values()].reduce((s, v) => s + v, 0), suspectMac: suspect.mac, victims: victims.length },
      explanation: spoof
        ? [
          'ARP maps an IP address to the Ethernet address that should receive its traffic. Hosts believe any reply they get, so a machine that keeps replying "this IP is at my MAC" for an address that is not its own diverts that traffic to itself (ARP cache poisoning), usually to read or alter it in the middle.',
          `Between ${when(start)} and ${when(end)} (${formatDuration(end - start)}), ${ip} was claimed by ${n(macs.length)} different MACs: ${macText}. The claims switched owner ${n(switches)} times, so both are still active: this is not a device replacement.`,
          victims.length ? `${suspect.mac} sent its claims to ${victims.join(', ')}: their traffic for ${ip} may have passed through that machine.` : '',
        ].filter(Boolean).join('\n\n')
        : `Between ${when(start)} and ${when(end)}, ${ip} was claimed by ${macText}. The owner changed ${n(switches)} time and never went back, which is what a replaced network card, a re-assigned DHCP lease or a planned failover looks like. Verify that the change was expected.`,
      affected: victims.map((v) => ({ addr: v, detail: `told that ${ip} is at ${suspect.mac}` })),
      recommendations: spoof
        ? [`Locate ${suspect.mac} (switch MAC address table, port) and disconnect it if it is not the owner of ${ip}.`,
          'Enable Dynamic ARP Inspection (with DHCP snooping) on the access switches, so ARP replies that contradict the lease table are dropped.',
          'Check the victims for intercepted sessions (certificate warnings, downgraded connections); use encrypted protocols so an interceptor gains nothing.',
          'Rule out a legitimate failover pair (VRRP/HSRP/CARP, NIC teaming), which can also flip an address between MACs.']
        : [`Confirm with the owner of ${ip} that its hardware or lease changed at ${when(switchTimes[0] ?? start)}.`],
      mitre: spoof ? [MITRE] : [],
      evidence,
      flowIds: [],
      details: { events: spoof ? [
        { tsNs: String(ctx.abs(suspect.first)), text: `${suspect.mac} first claims ${ip}` },
        { tsNs: String(ctx.abs(end)), text: `Last conflicting ARP claim for ${ip}` },
      ] : [] },
    });
  }
  return out;
}

function gratuitousStorms(ctx: DetectorContext, claims: Claim[]): DraftFinding[] {
  const T = ctx.th.arp;
  const byMac = new Map<string, Claim[]>();
  for (const c of claims) if (c.ip === c.target_ip) (byMac.get(c.mac) ?? byMac.set(c.mac, []).get(c.mac)!).push(c);
  const out: DraftFinding[] = [];
  for (const [mac, list] of [...byMac.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (list.length < T.gratuitousMinCount) continue;
    const hot = markHotEvents(list.map((c) => c.t), T.gratuitousWindowSec * 1e9, (count) => count >= T.gratuitousMinCount);
    const first = hot.indexOf(1);
    if (first < 0) continue;
    const burst = list.slice(first, hot.lastIndexOf(1) + 1);
    const ips = [...new Set(burst.map((c) => c.ip))];
    const start = burst[0].t, end = burst[burst.length - 1].t;
    const when = (rel: number) => formatWhen(ctx.baseNs, rel);
    const evidence = new EvidenceSet();
    evidence.addAll('gratuitous-arp', burst.map((c) => c.id));
    out.push({
      kind: 'arp-gratuitous-storm',
      title: `Gratuitous ARP storm from ${mac}: ${n(burst.length)} announcements for ${n(ips.length)} IP${ips.length === 1 ? '' : 's'}`,
      severity: 'medium',
      confidence: clamp01(0.6 + Math.min(burst.length / (4 * T.gratuitousMinCount), 1) * 0.3),
      startTsNs: ctx.abs(start),
      endTsNs: ctx.abs(end),
      targets: ips.slice(0, 20).map((ip) => ({ addr: ip, service: 'arp' })),
      sources: [{ addr: mac }],
      metrics: { announcements: burst.length, ips: ips.length, perSec: Math.round((burst.length / Math.max((end - start) / 1e9, 0.001)) * 10) / 10, durationSec: Math.round((end - start) / 1e6) / 1000 },
      explanation: [
        'A gratuitous ARP announces "this IP is at my MAC" to the whole segment without being asked; every host updates its cache. A host sends a few when it boots or changes address (RFC 5227).',
        `Between ${when(start)} and ${when(end)} (${formatDuration(end - start)}), ${mac} sent ${n(burst.length)} of them for ${n(ips.length)} address${ips.length === 1 ? '' : 'es'} (${ips.slice(0, 8).join(', ')}${ips.length > 8 ? ', …' : ''}). `
          + (ips.length > 1 ? 'One MAC announcing many addresses is either a misconfigured device or an attempt to take those addresses over (ARP poisoning); ' : '')
          + 'a storm like this also loads every host on the segment, because broadcasts reach all of them.',
      ].join('\n\n'),
      affected: ips.map((ip) => ({ addr: ip, detail: `announced by ${mac}` })),
      recommendations: [`Locate ${mac} on the switches and find out what it is.`, 'Rate-limit ARP on access ports and enable Dynamic ARP Inspection.'],
      mitre: ips.length > 1 ? [MITRE] : [],
      evidence,
      flowIds: [],
      details: { events: [{ tsNs: String(ctx.abs(start)), text: `Gratuitous ARP storm from ${mac} begins` }] },
    });
  }
  return out;
}
