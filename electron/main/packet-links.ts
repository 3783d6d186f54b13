/**
 * flowcase://packet/N?case=ID links from exported reports (renderer/src/lib/packet-link.ts): the
 * app registers the scheme with the OS, and a link reaches it as a command-line argument (Windows,
 * Linux: a new process, forwarded by the single-instance lock) or an 'open-url' event (macOS).
 * Each is parsed whole by the shared pure parser; anything it refuses is dropped. A valid link
 * becomes the renderer's #packet=N&case=ID route (a new window) or a 'link.packet' event (the
 * running window), and the renderer opens the packet only in the case the link names.
 */
import path from 'node:path';
import { app } from 'electron';
import { PACKET_LINK_SCHEME, parsePacketUrl, type PacketLink } from '../../renderer/src/lib/packet-link';

/** Must run before 'ready' so a link that launched the app (macOS) is not lost. */
export function registerPacketLinkScheme(onLink: (link: PacketLink) => void): void {
  // A development run is `electron path/to/main.js`: the OS must launch it the same way.
  if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(PACKET_LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
  else app.setAsDefaultProtocolClient(PACKET_LINK_SCHEME);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parsePacketUrl(url);
    if (link) onLink(link);
  });
}

/** Splits a command line into packet links (checked) and everything else (files to open). */
export function splitLinkArguments(args: string[]): { links: PacketLink[]; rest: string[] } {
  const isLink = (a: string) => a.toLowerCase().startsWith(`${PACKET_LINK_SCHEME}:`);
  return {
    links: args.filter(isLink).map(parsePacketUrl).filter((l): l is PacketLink => l !== null),
    rest: args.filter((a) => !isLink(a)),
  };
}
