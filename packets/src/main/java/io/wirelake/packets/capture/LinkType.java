package io.wirelake.packets.capture;

/** The link-layer header types wirelake decodes (tcpdump.org/linktypes.html numbering). */
public final class LinkType
{
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int RAW_OPENBSD = 12;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int NFLOG = 239;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {}

    public static boolean isSupported(int linkType)
    {
        return switch (linkType) {
            case NULL, ETHERNET, RAW_OPENBSD, RAW, LOOP, LINUX_SLL, IPV4, IPV6, NFLOG, LINUX_SLL2 -> true;
            default -> false;
        };
    }

    public static String name(int linkType)
    {
        return switch (linkType) {
            case NULL -> "NULL";
            case ETHERNET -> "EN10MB";
            case RAW_OPENBSD, RAW -> "RAW";
            case LOOP -> "LOOP";
            case LINUX_SLL -> "LINUX_SLL";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            case NFLOG -> "NFLOG";
            case LINUX_SLL2 -> "LINUX_SLL2";
            default -> "LINKTYPE_" + linkType;
        };
    }
}
