/*
 * Names for numbers we do not decode, so that an unknown layer is still labelled (tcpdump.org
 * LINKTYPE list, IEEE ethertype registry, IANA protocol numbers). Lookups only, no decoders.
 */
import { hex } from './read-bytes';

const LINK_TYPE_NAMES = new Map<number, string>([
  [0, 'NULL'], [1, 'ETHERNET'], [3, 'AX25'], [6, 'IEEE802_5'], [7, 'ARCNET_BSD'], [8, 'SLIP'], [9, 'PPP'],
  [10, 'FDDI'], [50, 'PPP_HDLC'], [51, 'PPP_ETHER'], [100, 'ATM_RFC1483'], [101, 'RAW'], [104, 'C_HDLC'],
  [105, 'IEEE802_11'], [107, 'FRELAY'], [108, 'LOOP'], [113, 'LINUX_SLL'], [114, 'LTALK'], [117, 'PFLOG'],
  [119, 'IEEE802_11_PRISM'], [122, 'IP_OVER_FC'], [123, 'SUNATM'], [127, 'IEEE802_11_RADIOTAP'],
  [129, 'ARCNET_LINUX'], [138, 'APPLE_IP_OVER_IEEE1394'], [139, 'MTP2_WITH_PHDR'], [140, 'MTP2'],
  [141, 'MTP3'], [142, 'SCCP'], [143, 'DOCSIS'], [144, 'LINUX_IRDA'], [163, 'IEEE802_11_AVS'],
  [165, 'BACNET_MS_TP'], [166, 'PPP_PPPD'], [169, 'GPRS_LLC'], [177, 'LINUX_LAPD'], [187, 'BLUETOOTH_HCI_H4'],
  [189, 'USB_LINUX'], [192, 'PPI'], [195, 'IEEE802_15_4_WITHFCS'], [196, 'SITA'], [197, 'ERF'],
  [201, 'BLUETOOTH_HCI_H4_WITH_PHDR'], [202, 'AX25_KISS'], [203, 'LAPD'], [204, 'PPP_WITH_DIR'],
  [205, 'C_HDLC_WITH_DIR'], [206, 'FRELAY_WITH_DIR'], [207, 'LAPB_WITH_DIR'], [209, 'IPMB_LINUX'],
  [215, 'IEEE802_15_4_NONASK_PHY'], [220, 'USB_LINUX_MMAPPED'], [224, 'FC_2'], [225, 'FC_2_WITH_FRAME_DELIMS'],
  [226, 'IPNET'], [227, 'CAN_SOCKETCAN'], [228, 'IPV4'], [229, 'IPV6'], [230, 'IEEE802_15_4_NOFCS'],
  [231, 'DBUS'], [235, 'DVB_CI'], [236, 'MUX27010'], [237, 'STANAG_5066_D_PDU'], [239, 'NFLOG'],
  [240, 'NETANALYZER'], [241, 'NETANALYZER_TRANSPARENT'], [242, 'IPOIB'], [243, 'MPEG_2_TS'],
  [244, 'NG40'], [245, 'NFC_LLCP'], [247, 'INFINIBAND'], [248, 'SCTP'], [249, 'USBPCAP'], [250, 'RTAC_SERIAL'],
  [251, 'BLUETOOTH_LE_LL'], [253, 'NETLINK'], [254, 'BLUETOOTH_LINUX_MONITOR'], [255, 'BLUETOOTH_BREDR_BB'],
  [256, 'BLUETOOTH_LE_LL_WITH_PHDR'], [257, 'PROFIBUS_DL'], [258, 'PKTAP'], [259, 'EPON'], [260, 'IPMI_HPM_2'],
  [261, 'ZWAVE_R1_R2'], [262, 'ZWAVE_R3'], [263, 'WATTSTOPPER_DLM'], [264, 'ISO_14443'], [265, 'RDS'],
  [266, 'USB_DARWIN'], [268, 'SDLC'], [270, 'LORATAP'], [271, 'VSOCK'], [272, 'NORDIC_BLE'], [273, 'DOCSIS31_XRA31'],
  [274, 'ETHERNET_MPACKET'], [275, 'DISPLAYPORT_AUX'], [276, 'LINUX_SLL2'], [278, 'OPENVIZSLA'], [279, 'EBHSCR'],
  [280, 'VPP_DISPATCH'], [281, 'DSA_TAG_BRCM'], [282, 'DSA_TAG_BRCM_PREPEND'], [283, 'IEEE802_15_4_TAP'],
  [284, 'DSA_TAG_DSA'], [285, 'DSA_TAG_EDSA'], [286, 'ELEE'], [287, 'Z_WAVE_SERIAL'], [288, 'USB_2_0'],
  [289, 'ATSC_ALP'], [290, 'ETW'], [292, 'ZBOSS_NCP'], [293, 'USB_2_0_LOW_SPEED'], [294, 'USB_2_0_FULL_SPEED'],
  [295, 'USB_2_0_HIGH_SPEED'], [296, 'AUERSWALD_LOG'], [297, 'ZWAVE_TAP'], [298, 'SILABS_DEBUG_CHANNEL'],
  [299, 'FIRA_UCI'], [300, 'MDB'], [301, 'DECT_NR'],
]);

/** Protocol column for a frame whose link type is not decoded: `LINKTYPE_<name>` or `LINKTYPE_<n>`. */
export function linkTypeProtocol(linkType: number): string {
  return 'LINKTYPE_' + (LINK_TYPE_NAMES.get(linkType) ?? String(linkType));
}

const ETHERTYPE_NAMES = new Map<number, string>([
  [0x0800, 'IPv4'], [0x0806, 'ARP'], [0x0842, 'WOL'], [0x22f3, 'TRILL'], [0x22ea, 'SRP'], [0x6002, 'DEC MOP'],
  [0x6003, 'DECnet'], [0x6558, 'TEB'], [0x8035, 'RARP'], [0x809b, 'AppleTalk'], [0x80f3, 'AARP'],
  [0x8100, '802.1Q'], [0x8137, 'IPX'], [0x8204, 'QNX'], [0x86dd, 'IPv6'], [0x8808, 'MAC Control'],
  [0x8809, 'Slow Protocols'], [0x8819, 'CobraNet'], [0x8847, 'MPLS'], [0x8848, 'MPLS'], [0x8863, 'PPPoED'],
  [0x8864, 'PPPoES'], [0x886d, 'Intel ANS'], [0x887b, 'HomePlug'], [0x888e, 'EAPOL'], [0x8892, 'PROFINET'],
  [0x889a, 'HyperSCSI'], [0x88a2, 'AoE'], [0x88a4, 'EtherCAT'], [0x88a8, '802.1ad'], [0x88ab, 'POWERLINK'],
  [0x88b8, 'GOOSE'], [0x88b9, 'GSE'], [0x88ba, 'SV'], [0x88cc, 'LLDP'], [0x88cd, 'SERCOS III'],
  [0x88e1, 'HomePlug AV'], [0x88e3, 'MRP'], [0x88e5, 'MACsec'], [0x88e7, 'PBB'], [0x88f7, 'PTP'],
  [0x88f8, 'NC-SI'], [0x88fb, 'PRP'], [0x8902, 'CFM'], [0x8906, 'FCoE'], [0x8914, 'FIP'], [0x8915, 'RoCE'],
  [0x891d, 'TTE'], [0x893a, '1905.1'], [0x892f, 'HSR'], [0x9000, 'LOOP'], [0x9100, 'VLAN'], [0xcafe, 'VLTP'],
]);

export function etherTypeName(type: number): string | undefined {
  return ETHERTYPE_NAMES.get(type);
}

/** "IPv4 (0x0800)" for the detail tree. */
export function etherTypeLabel(type: number): string {
  const name = ETHERTYPE_NAMES.get(type);
  return name === undefined ? hex(type, 4) : name + ' (' + hex(type, 4) + ')';
}

const IP_PROTOCOL_NAMES: string[] = [];
for (const [n, name] of [
  [0, 'HOPOPT'], [1, 'ICMP'], [2, 'IGMP'], [3, 'GGP'], [4, 'IPIP'], [5, 'ST'], [6, 'TCP'], [8, 'EGP'],
  [9, 'IGP'], [17, 'UDP'], [27, 'RDP'], [29, 'ISO-TP4'], [33, 'DCCP'], [36, 'XTP'], [41, 'IPv6'],
  [43, 'IPv6-Route'], [44, 'IPv6-Frag'], [46, 'RSVP'], [47, 'GRE'], [50, 'ESP'], [51, 'AH'], [55, 'MOBILE'],
  [58, 'ICMPv6'], [59, 'IPv6-NoNxt'], [60, 'IPv6-Opts'], [88, 'EIGRP'], [89, 'OSPF'], [94, 'IPIP'],
  [97, 'ETHERIP'], [98, 'ENCAP'], [103, 'PIM'], [108, 'IPComp'], [112, 'VRRP'], [115, 'L2TP'], [124, 'ISIS'],
  [132, 'SCTP'], [135, 'Mobility'], [136, 'UDPLite'], [137, 'MPLS-in-IP'], [139, 'HIP'], [140, 'Shim6'],
  [142, 'ROHC'], [143, 'Ethernet'],
] as [number, string][]) IP_PROTOCOL_NAMES[n] = name;

/** IANA keyword for an IP protocol number, or undefined. */
export function ipProtocolName(proto: number): string | undefined {
  return IP_PROTOCOL_NAMES[proto];
}
