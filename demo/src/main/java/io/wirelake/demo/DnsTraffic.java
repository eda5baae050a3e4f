package io.wirelake.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** DNS queries and responses (RFC 1035) for the cluster's service names. */
final class DnsTraffic
{
    static final int A = 1;
    static final int AAAA = 28;

    private DnsTraffic() {}

    static byte[] query(int id, String name, int type)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, id, 0x0100, 1, 0);
        question(out, name, type);
        return out.toByteArray();
    }

    /** A response: the address when given (A only), NXDOMAIN when {@code nxdomain}, else an empty NOERROR answer. */
    static byte[] response(int id, String name, int type, String address, boolean nxdomain)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean answer = address != null && !nxdomain;
        header(out, id, 0x8180 | (nxdomain ? 3 : 0) | 0x0400, 1, answer ? 1 : 0);
        question(out, name, type);
        if (answer) {
            out.write(0xC0);
            out.write(12);
            u16(out, type);
            u16(out, 1);
            u16(out, 0);
            u16(out, 30);
            u16(out, 4);
            for (String part : address.split("\\.")) {
                out.write(Integer.parseInt(part));
            }
        }
        return out.toByteArray();
    }

    private static void header(ByteArrayOutputStream out, int id, int flags, int questions, int answers)
    {
        u16(out, id);
        u16(out, flags);
        u16(out, questions);
        u16(out, answers);
        u16(out, 0);
        u16(out, 0);
    }

    private static void question(ByteArrayOutputStream out, String name, int type)
    {
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        u16(out, type);
        u16(out, 1);
    }

    private static void u16(ByteArrayOutputStream out, int value)
    {
        out.write(value >>> 8);
        out.write(value);
    }
}
