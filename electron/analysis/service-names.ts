/**
 * Well-known ports and what runs there (IANA service registry names, shortened for people).
 * Used to say "DNS (53/udp)" instead of "port 53", and to tell which side of a quoted packet
 * was the service.
 */

interface ServiceInfo { name: string; label: string }

const TCP: Record<number, ServiceInfo> = {
  21: { name: 'ftp', label: 'FTP' }, 22: { name: 'ssh', label: 'SSH' }, 23: { name: 'telnet', label: 'Telnet' },
  25: { name: 'smtp', label: 'SMTP mail' }, 53: { name: 'dns', label: 'DNS' }, 80: { name: 'http', label: 'HTTP' },
  110: { name: 'pop3', label: 'POP3 mail' }, 111: { name: 'sunrpc', label: 'SUN RPC portmapper' },
  135: { name: 'msrpc', label: 'Microsoft RPC' }, 139: { name: 'netbios-ssn', label: 'NetBIOS session' },
  143: { name: 'imap', label: 'IMAP mail' }, 389: { name: 'ldap', label: 'LDAP directory' },
  443: { name: 'https', label: 'HTTPS' }, 445: { name: 'smb', label: 'SMB file sharing' },
  465: { name: 'smtps', label: 'SMTP over TLS' }, 587: { name: 'submission', label: 'mail submission' },
  636: { name: 'ldaps', label: 'LDAP over TLS' }, 853: { name: 'dns-over-tls', label: 'DNS over TLS' },
  993: { name: 'imaps', label: 'IMAP over TLS' }, 995: { name: 'pop3s', label: 'POP3 over TLS' },
  1433: { name: 'mssql', label: 'Microsoft SQL Server' }, 1521: { name: 'oracle', label: 'Oracle database' },
  2049: { name: 'nfs', label: 'NFS' }, 3306: { name: 'mysql', label: 'MySQL' }, 3389: { name: 'rdp', label: 'Remote Desktop' },
  5432: { name: 'postgresql', label: 'PostgreSQL' }, 5900: { name: 'vnc', label: 'VNC' },
  6379: { name: 'redis', label: 'Redis' }, 8080: { name: 'http-alt', label: 'HTTP (alternate)' },
  8443: { name: 'https-alt', label: 'HTTPS (alternate)' },
};

const UDP: Record<number, ServiceInfo> = {
  53: { name: 'dns', label: 'DNS' }, 67: { name: 'dhcp', label: 'DHCP server' }, 68: { name: 'dhcp-client', label: 'DHCP client' },
  69: { name: 'tftp', label: 'TFTP' }, 111: { name: 'sunrpc', label: 'SUN RPC portmapper' },
  123: { name: 'ntp', label: 'NTP time' }, 137: { name: 'netbios-ns', label: 'NetBIOS name service' },
  138: { name: 'netbios-dgm', label: 'NetBIOS datagram' }, 161: { name: 'snmp', label: 'SNMP' },
  162: { name: 'snmp-trap', label: 'SNMP traps' }, 389: { name: 'cldap', label: 'CLDAP' },
  443: { name: 'quic', label: 'QUIC / HTTP/3' }, 500: { name: 'isakmp', label: 'IPsec IKE' },
  514: { name: 'syslog', label: 'syslog' }, 520: { name: 'rip', label: 'RIP routing' },
  1812: { name: 'radius', label: 'RADIUS' }, 1900: { name: 'ssdp', label: 'SSDP' },
  2049: { name: 'nfs', label: 'NFS' }, 3478: { name: 'stun', label: 'STUN' }, 4500: { name: 'ipsec-nat-t', label: 'IPsec NAT-T' },
  5060: { name: 'sip', label: 'SIP' }, 5353: { name: 'mdns', label: 'multicast DNS' },
};

export function serviceFor(proto: number, port: number): ServiceInfo | null {
  const table = proto === 6 ? TCP : proto === 17 ? UDP : null;
  return table?.[port] ?? null;
}

export function protoName(proto: number): string {
  return proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 1 ? 'icmp' : proto === 58 ? 'icmpv6' : proto === 132 ? 'sctp' : `proto-${proto}`;
}

/** "DNS (53/udp)" or "port 40000/udp". */
export function serviceLabel(proto: number, port: number): string {
  const s = serviceFor(proto, port);
  return s ? `${s.label} (${port}/${protoName(proto)})` : `port ${port}/${protoName(proto)}`;
}
