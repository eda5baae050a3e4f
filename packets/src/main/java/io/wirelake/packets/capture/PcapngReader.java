package io.wirelake.packets.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng (draft-ietf-opsawg-pcapng): sections in either byte order, several interfaces with their
 * own link types, snap lengths and timestamp resolutions ({@code if_tsresol}, {@code if_tsoffset}).
 * Enhanced, simple and obsolete packet blocks carry packets; other blocks are skipped.
 */
final class PcapngReader
        extends RecordCursor
{
    static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;

    private record Interface(int linkType, int snapLength, long unitsPerSecond, long offsetSeconds) {}

    private final List<Interface> interfaces = new ArrayList<>();
    private boolean bigEndian;
    private int interfaceId;

    PcapngReader(CaptureInput input)
            throws IOException
    {
        super(input);
        if (!input.ensure(12) || Bytes.i32(input.buffer, input.start) != SECTION_HEADER) {
            throw new CaptureFormatException("not a pcapng file");
        }
    }

    @Override
    public boolean next()
            throws IOException
    {
        while (damage == null) {
            if (!input.ensure(12)) {
                if (input.available() > 0) {
                    damage = "block header cut short at byte " + input.position();
                }
                return false;
            }
            int type = Bytes.i32(input.buffer, input.start, bigEndian);
            if (Bytes.i32(input.buffer, input.start) == SECTION_HEADER) {
                int magic = Bytes.i32(input.buffer, input.start + 8);
                if (magic == BYTE_ORDER_MAGIC) {
                    bigEndian = true;
                }
                else if (Integer.reverseBytes(magic) == BYTE_ORDER_MAGIC) {
                    bigEndian = false;
                }
                else {
                    damage = "section header with unknown byte-order magic at byte " + input.position();
                    return false;
                }
                type = SECTION_HEADER;
            }
            int length = Bytes.i32(input.buffer, input.start + 4, bigEndian);
            if (length < 12 || length % 4 != 0 || length > CaptureInput.MAX_RECORD) {
                damage = "block at byte " + input.position() + " has invalid length " + Integer.toUnsignedString(length);
                return false;
            }
            if (!input.ensure(length)) {
                damage = "block cut short at byte " + input.position() + " (" + input.available() + " of " + length + " bytes present)";
                return false;
            }
            int body = input.start + 8;
            int bodyLength = length - 12;
            boolean packet = switch (type) {
                case SECTION_HEADER -> {
                    interfaces.clear();
                    yield false;
                }
                case INTERFACE_DESCRIPTION -> {
                    readInterface(body, bodyLength);
                    yield false;
                }
                case ENHANCED_PACKET -> readEnhanced(body, bodyLength);
                case SIMPLE_PACKET -> readSimple(body, bodyLength);
                case OBSOLETE_PACKET -> readObsolete(body, bodyLength);
                default -> false;
            };
            input.skip(length);
            if (damage != null) {
                return false;
            }
            if (packet) {
                return true;
            }
        }
        return false;
    }

    private void readInterface(int body, int bodyLength)
    {
        byte[] data = input.buffer;
        int linkType = Bytes.u16(data, body, bigEndian);
        int snapLength = Bytes.i32(data, body + 4, bigEndian);
        long unitsPerSecond = 1_000_000;
        long offsetSeconds = 0;
        int option = body + 8;
        int limit = body + bodyLength;
        while (option + 4 <= limit) {
            int code = Bytes.u16(data, option, bigEndian);
            int optionLength = Bytes.u16(data, option + 2, bigEndian);
            int value = option + 4;
            if (code == 0 || value + optionLength > limit) {
                break;
            }
            if (code == 9 && optionLength >= 1) {
                int resolution = data[value] & 0xFF;
                int exponent = resolution & 0x7F;
                boolean powerOfTwo = (resolution & 0x80) != 0;
                unitsPerSecond = powerOfTwo ? (exponent >= 63 ? Long.MAX_VALUE : 1L << exponent) : pow10(exponent);
            }
            else if (code == 14 && optionLength >= 8) {
                offsetSeconds = bigEndian ? Bytes.i64(data, value) : Long.reverseBytes(Bytes.i64(data, value));
            }
            option = value + ((optionLength + 3) & ~3);
        }
        interfaces.add(new Interface(linkType, snapLength, unitsPerSecond, offsetSeconds));
    }

    private boolean readEnhanced(int body, int bodyLength)
    {
        byte[] data = input.buffer;
        if (bodyLength < 20) {
            damage = "enhanced packet block too short at byte " + input.position();
            return false;
        }
        int id = Bytes.i32(data, body, bigEndian);
        long high = Bytes.i32(data, body + 4, bigEndian) & 0xFFFFFFFFL;
        long low = Bytes.i32(data, body + 8, bigEndian) & 0xFFFFFFFFL;
        int captured = Bytes.i32(data, body + 12, bigEndian);
        int original = Bytes.i32(data, body + 16, bigEndian);
        return setPacket(id, (high << 32) | low, body + 20, captured, original, bodyLength - 20);
    }

    private boolean readObsolete(int body, int bodyLength)
    {
        byte[] data = input.buffer;
        if (bodyLength < 20) {
            damage = "packet block too short at byte " + input.position();
            return false;
        }
        int id = Bytes.u16(data, body, bigEndian);
        long high = Bytes.i32(data, body + 4, bigEndian) & 0xFFFFFFFFL;
        long low = Bytes.i32(data, body + 8, bigEndian) & 0xFFFFFFFFL;
        int captured = Bytes.i32(data, body + 12, bigEndian);
        int original = Bytes.i32(data, body + 16, bigEndian);
        return setPacket(id, (high << 32) | low, body + 20, captured, original, bodyLength - 20);
    }

    private boolean readSimple(int body, int bodyLength)
    {
        if (interfaces.isEmpty() || bodyLength < 4) {
            damage = "simple packet block without an interface at byte " + input.position();
            return false;
        }
        int original = Bytes.i32(input.buffer, body, bigEndian);
        int captured = Math.min(original, Math.min(bodyLength - 4, snapOrMax(interfaces.get(0).snapLength())));
        // Simple packet blocks carry no timestamp: keep the previous packet's time.
        return setPacket(0, -1, body + 4, captured, original, bodyLength - 4);
    }

    private static int snapOrMax(int snapLength)
    {
        return snapLength <= 0 ? Integer.MAX_VALUE : snapLength;
    }

    private boolean setPacket(int id, long units, int data, int captured, int original, int room)
    {
        if (id < 0 || id >= interfaces.size()) {
            damage = "packet for undeclared interface " + id + " at byte " + input.position();
            return false;
        }
        if (captured < 0 || captured > room) {
            damage = "packet at byte " + input.position() + " claims " + Integer.toUnsignedString(captured) + " bytes in a block of " + room;
            return false;
        }
        Interface from = interfaces.get(id);
        if (units >= 0) {
            timestampMicros = from.offsetSeconds() * 1_000_000L + toMicros(units, from.unitsPerSecond());
        }
        interfaceId = id;
        offset = data;
        capturedLength = captured;
        originalLength = Math.max(original, captured);
        return true;
    }

    private static long toMicros(long units, long unitsPerSecond)
    {
        if (unitsPerSecond == 1_000_000) {
            return units;
        }
        long seconds = Long.divideUnsigned(units, unitsPerSecond);
        long remainder = Long.remainderUnsigned(units, unitsPerSecond);
        return seconds * 1_000_000L + (long) (remainder * (1_000_000.0 / unitsPerSecond));
    }

    private static long pow10(int exponent)
    {
        long value = 1;
        for (int index = 0; index < Math.min(exponent, 18); index++) {
            value *= 10;
        }
        return value;
    }

    @Override
    public int linkType()
    {
        return interfaces.get(interfaceId).linkType();
    }

    @Override
    public int interfaceId()
    {
        return interfaceId;
    }

    @Override
    public String format()
    {
        return "pcapng";
    }

}
