package io.wirelake.packets.decode;

/** 128-bit IP addresses held as two longs; IPv4 addresses are IPv4-mapped. */
public final class Addresses
{
    public static final long IPV4_MAPPED_HIGH = 0;
    private static final long IPV4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    private Addresses() {}

    public static long ipv4Low(int address)
    {
        return IPV4_MAPPED_PREFIX | (address & 0xFFFF_FFFFL);
    }

    public static boolean isIpv4(long high, long low)
    {
        return high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED_PREFIX;
    }

    /** Dotted quad for IPv4, RFC 5952 text for IPv6 (what tshark prints). */
    public static String format(long high, long low)
    {
        if (isIpv4(high, low)) {
            int address = (int) low;
            return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
        }
        int[] groups = new int[8];
        for (int index = 0; index < 4; index++) {
            groups[index] = (int) (high >>> (48 - 16 * index)) & 0xFFFF;
            groups[index + 4] = (int) (low >>> (48 - 16 * index)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int index = 0; index < 8; ) {
            if (groups[index] != 0) {
                index++;
                continue;
            }
            int end = index;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - index > bestLength) {
                bestStart = index;
                bestLength = end - index;
            }
            index = end;
        }
        StringBuilder text = new StringBuilder(39);
        for (int index = 0; index < 8; index++) {
            if (index == bestStart) {
                text.append("::");
                index += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[index]));
        }
        return text.toString();
    }

    /** Parses dotted IPv4 or IPv6 text into {high, low}. */
    public static long[] parse(String text)
    {
        try {
            byte[] bytes = java.net.InetAddress.getByName(text).getAddress();
            if (bytes.length == 4) {
                return new long[] {0, ipv4Low(((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF))};
            }
            long high = 0;
            long low = 0;
            for (int index = 0; index < 8; index++) {
                high = (high << 8) | (bytes[index] & 0xFF);
                low = (low << 8) | (bytes[index + 8] & 0xFF);
            }
            return new long[] {high, low};
        }
        catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }
}
