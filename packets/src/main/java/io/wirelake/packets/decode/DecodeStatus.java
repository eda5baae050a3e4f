package io.wirelake.packets.decode;

/** What decoding one captured frame produced. */
public enum DecodeStatus
{
    /** An IP packet with its transport header: the {@link DecodedPacket} is filled. */
    DECODED,
    /** An IP fragment held until its datagram is complete. */
    FRAGMENT_HELD,
    /** Not IP (ARP, LLDP, ...). */
    NOT_IP,
    /** An IP protocol wirelake does not track (GRE, ESP, ...): addresses are filled, ports are not. */
    OTHER_TRANSPORT,
    /** The link type is unknown: the frame is skipped and reported. */
    UNSUPPORTED_LINK,
    /** A header is cut short by the snap length or damaged: the anomaly names what. */
    MALFORMED
}
