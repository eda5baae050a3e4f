package io.wirelake.packets.decode;

import io.wirelake.packets.capture.Bytes;
import io.wirelake.packets.capture.LinkType;

/**
 * Decodes link, network and transport headers in place. Link types: Ethernet (with stacked
 * 802.1Q/802.1ad tags), Linux cooked v1 and v2, NFLOG, raw IP, BSD loopback. IPv4 and IPv6 (with
 * extension headers), fragments reassembled through {@link FragmentReassembler}; TCP, UDP, SCTP,
 * ICMP and ICMPv6. Every length is checked against the captured bytes: a short or inconsistent
 * header yields {@link DecodeStatus#MALFORMED} with a named anomaly, never an exception.
 */
public final class PacketDecoder
{
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int MAX_VLAN_TAGS = 8;
    private static final int MAX_IPV6_EXTENSION_HEADERS = 16;

    private final FragmentReassembler fragments;

    public PacketDecoder()
    {
        this(new FragmentReassembler());
    }

    public PacketDecoder(FragmentReassembler fragments)
    {
        this.fragments = fragments;
    }

    public FragmentReassembler fragments()
    {
        return fragments;
    }

    public DecodeStatus decode(int linkType, byte[] data, int offset, int length, long timestampMicros, DecodedPacket out)
    {
        out.reset(timestampMicros);
        int end = offset + length;
        switch (linkType) {
            case LinkType.ETHERNET:
                return ethernet(data, offset, end, out);
            case LinkType.RAW, LinkType.RAW_OPENBSD, LinkType.IPV4, LinkType.IPV6:
                return ipByVersion(data, offset, end, out);
            case LinkType.NULL, LinkType.LOOP:
                return loopback(data, offset, end, out);
            case LinkType.LINUX_SLL:
                if (length < 16) {
                    return malformed(out, "link.sll_short");
                }
                return byEtherType(Bytes.u16(data, offset + 14), data, offset + 16, end, out);
            case LinkType.LINUX_SLL2:
                if (length < 20) {
                    return malformed(out, "link.sll2_short");
                }
                return byEtherType(Bytes.u16(data, offset), data, offset + 20, end, out);
            case LinkType.NFLOG:
                return nflog(data, offset, end, out);
            default:
                return DecodeStatus.UNSUPPORTED_LINK;
        }
    }

    private DecodeStatus ethernet(byte[] data, int offset, int end, DecodedPacket out)
    {
        if (end - offset < 14) {
            return malformed(out, "link.ethernet_short");
        }
        int etherType = Bytes.u16(data, offset + 12);
        int at = offset + 14;
        int tags = 0;
        while (etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ || etherType == ETHERTYPE_QINQ_OLD) {
            if (end - at < 4 || ++tags > MAX_VLAN_TAGS) {
                return malformed(out, "link.vlan_short");
            }
            etherType = Bytes.u16(data, at + 2);
            at += 4;
        }
        return byEtherType(etherType, data, at, end, out);
    }

    private DecodeStatus byEtherType(int etherType, byte[] data, int at, int end, DecodedPacket out)
    {
        return switch (etherType) {
            case ETHERTYPE_IPV4 -> ipv4(data, at, end, out);
            case ETHERTYPE_IPV6 -> ipv6(data, at, end, out);
            default -> DecodeStatus.NOT_IP;
        };
    }

    private DecodeStatus loopback(byte[] data, int offset, int end, DecodedPacket out)
    {
        if (end - offset < 4) {
            return malformed(out, "link.loopback_short");
        }
        // The family is in the capturing host's byte order (big-endian for LOOP): accept both.
        int family = Bytes.i32(data, offset);
        if ((family & 0xFFFF) == 0) {
            family = Integer.reverseBytes(family);
        }
        return switch (family) {
            case 2 -> ipv4(data, offset + 4, end, out);
            case 10, 24, 28, 30 -> ipv6(data, offset + 4, end, out);
            default -> DecodeStatus.NOT_IP;
        };
    }

    private DecodeStatus nflog(byte[] data, int offset, int end, DecodedPacket out)
    {
        if (end - offset < 4) {
            return malformed(out, "link.nflog_short");
        }
        int family = data[offset] & 0xFF;
        int at = offset + 4;
        // TLVs: length and type in host byte order (little-endian on the hosts that write NFLOG).
        while (at + 4 <= end) {
            int tlvLength = Bytes.u16le(data, at);
            int type = Bytes.u16le(data, at + 2) & 0x7FFF;
            if (tlvLength < 4 || at + tlvLength > end) {
                return malformed(out, "link.nflog_bad_tlv");
            }
            if (type == 9) {
                int payload = at + 4;
                int payloadEnd = at + tlvLength;
                return family == 10 ? ipv6(data, payload, payloadEnd, out) : family == 2 ? ipv4(data, payload, payloadEnd, out) : ipByVersion(data, payload, payloadEnd, out);
            }
            at += (tlvLength + 3) & ~3;
        }
        return DecodeStatus.NOT_IP;
    }

    private DecodeStatus ipByVersion(byte[] data, int at, int end, DecodedPacket out)
    {
        if (at >= end) {
            return malformed(out, "ip.empty");
        }
        return switch ((data[at] & 0xF0) >>> 4) {
            case 4 -> ipv4(data, at, end, out);
            case 6 -> ipv6(data, at, end, out);
            default -> DecodeStatus.NOT_IP;
        };
    }

    private DecodeStatus ipv4(byte[] data, int at, int end, DecodedPacket out)
    {
        if (end - at < 20) {
            return malformed(out, "ipv4.short_header");
        }
        int versionAndLength = data[at] & 0xFF;
        int headerLength = (versionAndLength & 0x0F) * 4;
        if (versionAndLength >>> 4 != 4 || headerLength < 20) {
            return malformed(out, "ipv4.bad_header");
        }
        if (end - at < headerLength) {
            return malformed(out, "ipv4.short_header");
        }
        int totalLength = Bytes.u16(data, at + 2);
        if (totalLength == 0) {
            // TCP segmentation offload captures carry 0: the frame tells the length.
            totalLength = end - at;
        }
        if (totalLength < headerLength) {
            return malformed(out, "ipv4.bad_total_length");
        }
        out.ipVersion = 4;
        out.ipLength = totalLength;
        out.sourceHigh = 0;
        out.sourceLow = Addresses.ipv4Low(Bytes.i32(data, at + 12));
        out.destinationHigh = 0;
        out.destinationLow = Addresses.ipv4Low(Bytes.i32(data, at + 16));
        int protocol = data[at + 9] & 0xFF;
        out.transport = protocol;
        int flagsAndOffset = Bytes.u16(data, at + 6);
        boolean moreFragments = (flagsAndOffset & 0x2000) != 0;
        int fragmentOffset = (flagsAndOffset & 0x1FFF) * 8;
        int payloadStart = at + headerLength;
        // Ethernet padding follows short packets: trust the IP length, not the frame.
        int wireEnd = at + totalLength;
        int payloadEnd = Math.min(end, wireEnd);
        if (moreFragments || fragmentOffset != 0) {
            if (payloadEnd < wireEnd) {
                return malformed(out, "ip.fragment_truncated");
            }
            int identification = Bytes.u16(data, at + 4);
            FragmentReassembler.Datagram whole = fragments.add(4, out.sourceHigh, out.sourceLow, out.destinationHigh, out.destinationLow,
                    identification, protocol, fragmentOffset, moreFragments, data, payloadStart, payloadEnd - payloadStart, out.timestampMicros);
            if (whole == null) {
                return DecodeStatus.FRAGMENT_HELD;
            }
            out.reassembled = true;
            out.ipLength = headerLength + whole.length();
            return transport(protocol, whole.data(), 0, whole.length(), whole.length(), out);
        }
        return transport(protocol, data, payloadStart, payloadEnd, wireEnd - payloadStart, out);
    }

    private DecodeStatus ipv6(byte[] data, int at, int end, DecodedPacket out)
    {
        if (end - at < 40) {
            return malformed(out, "ipv6.short_header");
        }
        if ((data[at] & 0xF0) >>> 4 != 6) {
            return malformed(out, "ipv6.bad_version");
        }
        int payloadLength = Bytes.u16(data, at + 4);
        out.ipVersion = 6;
        out.ipLength = 40 + payloadLength;
        out.sourceHigh = Bytes.i64(data, at + 8);
        out.sourceLow = Bytes.i64(data, at + 16);
        out.destinationHigh = Bytes.i64(data, at + 24);
        out.destinationLow = Bytes.i64(data, at + 32);
        int next = data[at + 6] & 0xFF;
        int cursor = at + 40;
        int wireEnd = at + 40 + payloadLength;
        if (payloadLength == 0) {
            // Jumbograms and offload captures: the frame tells the length.
            wireEnd = end;
            out.ipLength = end - at;
        }
        int payloadEnd = Math.min(end, wireEnd);
        for (int headers = 0; headers < MAX_IPV6_EXTENSION_HEADERS; headers++) {
            switch (next) {
                case 0, 43, 60 -> {
                    if (payloadEnd - cursor < 8) {
                        return malformed(out, "ipv6.short_extension_header");
                    }
                    next = data[cursor] & 0xFF;
                    cursor += 8 + (data[cursor + 1] & 0xFF) * 8;
                }
                case 51 -> {
                    if (payloadEnd - cursor < 8) {
                        return malformed(out, "ipv6.short_extension_header");
                    }
                    next = data[cursor] & 0xFF;
                    cursor += ((data[cursor + 1] & 0xFF) + 2) * 4;
                }
                case 44 -> {
                    if (payloadEnd - cursor < 8) {
                        return malformed(out, "ipv6.short_extension_header");
                    }
                    int fragmentNext = data[cursor] & 0xFF;
                    int offsetAndFlags = Bytes.u16(data, cursor + 2);
                    int identification = Bytes.i32(data, cursor + 4);
                    int fragmentOffset = offsetAndFlags & 0xFFF8;
                    boolean moreFragments = (offsetAndFlags & 1) != 0;
                    cursor += 8;
                    if (cursor > payloadEnd) {
                        return malformed(out, "ipv6.short_extension_header");
                    }
                    out.transport = fragmentNext;
                    if (fragmentOffset == 0 && !moreFragments) {
                        // An atomic fragment (RFC 6946): nothing to reassemble.
                        next = fragmentNext;
                        continue;
                    }
                    if (payloadEnd < wireEnd) {
                        return malformed(out, "ip.fragment_truncated");
                    }
                    FragmentReassembler.Datagram whole = fragments.add(6, out.sourceHigh, out.sourceLow, out.destinationHigh, out.destinationLow,
                            identification, fragmentNext, fragmentOffset, moreFragments, data, cursor, payloadEnd - cursor, out.timestampMicros);
                    if (whole == null) {
                        return DecodeStatus.FRAGMENT_HELD;
                    }
                    out.reassembled = true;
                    out.ipLength = 40 + whole.length();
                    return transport(whole.protocol(), whole.data(), 0, whole.length(), whole.length(), out);
                }
                default -> {
                    if (cursor > payloadEnd) {
                        return malformed(out, "ipv6.short_extension_header");
                    }
                    return transport(next, data, cursor, payloadEnd, wireEnd - cursor, out);
                }
            }
        }
        return malformed(out, "ipv6.too_many_extension_headers");
    }

    private DecodeStatus transport(int protocol, byte[] data, int at, int end, int wireLength, DecodedPacket out)
    {
        out.transport = protocol;
        out.data = data;
        int available = end - at;
        switch (protocol) {
            case DecodedPacket.TCP: {
                if (available < 20) {
                    return malformed(out, "tcp.short_header");
                }
                int headerLength = ((data[at + 12] & 0xF0) >>> 4) * 4;
                if (headerLength < 20 || wireLength < headerLength) {
                    return malformed(out, "tcp.bad_header_length");
                }
                out.sourcePort = Bytes.u16(data, at);
                out.destinationPort = Bytes.u16(data, at + 2);
                out.sequence = Bytes.u32(data, at + 4);
                out.acknowledgement = Bytes.u32(data, at + 8);
                out.tcpFlags = data[at + 13] & 0x3F;
                out.window = Bytes.u16(data, at + 14);
                if (available < headerLength) {
                    // Options cut by the snap length: ports and flags are still good.
                    out.payloadOffset = end;
                    out.payloadLength = 0;
                    out.wirePayloadLength = wireLength - headerLength;
                    out.anomaly = "tcp.options_truncated";
                    return DecodeStatus.DECODED;
                }
                if (headerLength > 20 && (out.tcpFlags & DecodedPacket.SYN) != 0) {
                    tcpOptions(data, at + 20, at + headerLength, out);
                }
                setPayload(out, at + headerLength, end, wireLength - headerLength);
                return DecodeStatus.DECODED;
            }
            case DecodedPacket.UDP: {
                if (available < 8) {
                    return malformed(out, "udp.short_header");
                }
                out.sourcePort = Bytes.u16(data, at);
                out.destinationPort = Bytes.u16(data, at + 2);
                out.udpLength = Bytes.u16(data, at + 4);
                out.udpChecksum = Bytes.u16(data, at + 6);
                int udpWire = out.udpLength >= 8 ? Math.min(out.udpLength, wireLength) : wireLength;
                if (out.udpLength != 0 && out.udpLength < 8) {
                    out.anomaly = "udp.bad_length";
                }
                setPayload(out, at + 8, Math.min(end, at + udpWire), udpWire - 8);
                return DecodeStatus.DECODED;
            }
            case DecodedPacket.SCTP: {
                if (available < 12) {
                    return malformed(out, "sctp.short_header");
                }
                out.sourcePort = Bytes.u16(data, at);
                out.destinationPort = Bytes.u16(data, at + 2);
                out.sctpChecksum = Bytes.i32(data, at + 8);
                if (available >= 16) {
                    out.sctpFirstChunkType = data[at + 12] & 0xFF;
                    out.sctpFirstChunkLength = Bytes.u16(data, at + 14);
                }
                setPayload(out, at + 12, end, wireLength - 12);
                return DecodeStatus.DECODED;
            }
            case DecodedPacket.ICMP, DecodedPacket.ICMPV6: {
                if (available < 4) {
                    return malformed(out, "icmp.short_header");
                }
                out.icmpType = data[at] & 0xFF;
                out.icmpCode = data[at + 1] & 0xFF;
                setPayload(out, at, end, wireLength);
                return DecodeStatus.DECODED;
            }
            default:
                setPayload(out, at, end, wireLength);
                return DecodeStatus.OTHER_TRANSPORT;
        }
    }

    private static void setPayload(DecodedPacket out, int start, int end, int wireLength)
    {
        out.payloadOffset = start;
        out.payloadLength = Math.max(0, end - start);
        out.wirePayloadLength = Math.max(out.payloadLength, wireLength);
    }

    private static void tcpOptions(byte[] data, int at, int end, DecodedPacket out)
    {
        while (at < end) {
            int kind = data[at] & 0xFF;
            if (kind == 0) {
                return;
            }
            if (kind == 1) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                return;
            }
            int length = data[at + 1] & 0xFF;
            if (length < 2 || at + length > end) {
                out.anomaly = "tcp.bad_option";
                return;
            }
            if (kind == 3 && length == 3) {
                out.windowScale = Math.min(14, data[at + 2] & 0xFF);
            }
            at += length;
        }
    }

    private static DecodeStatus malformed(DecodedPacket out, String anomaly)
    {
        out.anomaly = anomaly;
        return DecodeStatus.MALFORMED;
    }
}
