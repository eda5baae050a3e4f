package io.wirelake.dissect.protocol.dns;

import io.wirelake.packets.capture.Bytes;
import io.wirelake.packets.decode.Addresses;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one DNS message (RFC 1035 section 4). Every read is bounds-checked; compression pointers
 * are followed at most {@link #MAX_POINTERS} times, so a loop cannot hang the parser; section
 * counts are capped by {@link #MAX_RECORDS}. A message that ends early keeps what parsed and is
 * marked incomplete.
 */
public final class DnsMessageParser
{
    public static final int HEADER = 12;
    static final int MAX_POINTERS = 64;
    static final int MAX_NAME = 255;
    static final int MAX_RECORDS = 256;

    private DnsMessageParser() {}

    /** Whether the header is plausible enough to try: a cheap check for detection. */
    public static boolean plausibleHeader(byte[] data, int offset, int length)
    {
        if (length < HEADER) {
            return false;
        }
        int flags = Bytes.u16(data, offset + 2);
        int opcode = (flags >>> 11) & 0xF;
        int questions = Bytes.u16(data, offset + 4);
        int answers = Bytes.u16(data, offset + 6);
        boolean response = (flags & 0x8000) != 0;
        return opcode <= 6 && opcode != 3 && questions <= 16 && (questions > 0 || response) && answers <= MAX_RECORDS;
    }

    /** Parses; null when not even the header is there. */
    public static DnsMessage parse(byte[] data, int offset, int length)
    {
        if (length < HEADER) {
            return null;
        }
        int end = offset + length;
        int id = Bytes.u16(data, offset);
        int flags = Bytes.u16(data, offset + 2);
        int questionCount = Math.min(Bytes.u16(data, offset + 4), MAX_RECORDS);
        int answerCount = Math.min(Bytes.u16(data, offset + 6), MAX_RECORDS);
        List<String> questions = new ArrayList<>(questionCount);
        List<String> types = new ArrayList<>(questionCount);
        List<String> answers = new ArrayList<>(answerCount);
        List<String> addresses = new ArrayList<>(0);
        boolean complete = false;
        int[] cursor = {offset + HEADER};
        parsing:
        {
            for (int index = 0; index < questionCount; index++) {
                String name = name(data, offset, end, cursor);
                if (name == null || cursor[0] + 4 > end) {
                    break parsing;
                }
                questions.add(name);
                types.add(DnsMessage.typeName(Bytes.u16(data, cursor[0])));
                cursor[0] += 4;
            }
            for (int index = 0; index < answerCount; index++) {
                String owner = name(data, offset, end, cursor);
                if (owner == null || cursor[0] + 10 > end) {
                    break parsing;
                }
                int type = Bytes.u16(data, cursor[0]);
                int dataLength = Bytes.u16(data, cursor[0] + 8);
                int rdata = cursor[0] + 10;
                if (rdata + dataLength > end) {
                    break parsing;
                }
                String value = rdata(type, data, offset, rdata, dataLength, end);
                if (value != null) {
                    answers.add(value);
                    if (type == 1 || type == 28) {
                        addresses.add(value);
                    }
                }
                cursor[0] = rdata + dataLength;
            }
            complete = true;
        }
        return new DnsMessage(id, (flags & 0x8000) != 0, (flags >>> 11) & 0xF, flags & 0xF, (flags & 0x0200) != 0,
                questions, types, answers, addresses, length, complete);
    }

    private static String rdata(int type, byte[] data, int message, int at, int length, int end)
    {
        switch (type) {
            case 1:
                return length == 4 ? Addresses.format(0, Addresses.ipv4Low(Bytes.i32(data, at))) : null;
            case 28:
                return length == 16 ? Addresses.format(Bytes.i64(data, at), Bytes.i64(data, at + 8)) : null;
            case 2, 5, 12, 39: {
                return name(data, message, end, new int[] {at});
            }
            case 15: {
                return length > 2 ? name(data, message, end, new int[] {at + 2}) : null;
            }
            case 33: {
                return length > 6 ? name(data, message, end, new int[] {at + 6}) : null;
            }
            case 6: {
                return name(data, message, end, new int[] {at});
            }
            case 16: {
                StringBuilder text = new StringBuilder();
                int cursor = at;
                while (cursor < at + length) {
                    int size = data[cursor] & 0xFF;
                    if (cursor + 1 + size > at + length) {
                        break;
                    }
                    text.append(new String(data, cursor + 1, size, StandardCharsets.UTF_8));
                    cursor += 1 + size;
                }
                return text.toString();
            }
            default:
                return DnsMessage.typeName(type);
        }
    }

    /**
     * Reads a possibly compressed name at {@code cursor[0]} and moves the cursor past it.
     * Root is {@code <Root>} (as tshark shows it); null when the name is malformed.
     */
    static String name(byte[] data, int message, int end, int[] cursor)
    {
        StringBuilder name = new StringBuilder();
        int at = cursor[0];
        int after = -1;
        int pointers = 0;
        while (true) {
            if (at >= end) {
                return null;
            }
            int length = data[at] & 0xFF;
            if ((length & 0xC0) == 0xC0) {
                if (at + 1 >= end || ++pointers > MAX_POINTERS) {
                    return null;
                }
                if (after < 0) {
                    after = at + 2;
                }
                at = message + (((length & 0x3F) << 8) | (data[at + 1] & 0xFF));
                continue;
            }
            if ((length & 0xC0) != 0) {
                return null;
            }
            if (length == 0) {
                at++;
                break;
            }
            if (at + 1 + length > end || name.length() + length + 1 > MAX_NAME) {
                return null;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int index = at + 1; index <= at + length; index++) {
                name.append((char) (data[index] & 0xFF));
            }
            at += 1 + length;
        }
        cursor[0] = after >= 0 ? after : at;
        return name.length() == 0 ? "<Root>" : name.toString();
    }
}
