package io.wirelake.dissect.protocol.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses ClientHello and ServerHello bodies with every read bounds-checked; null when malformed. */
final class HelloParser
{
    private HelloParser() {}

    /** The body of a ClientHello handshake message (after its 4-byte header). */
    static Hello client(byte[] data, int offset, int length)
    {
        try {
            Reader reader = new Reader(data, offset, offset + length);
            int version = reader.u16();
            reader.skip(32);
            reader.skip(reader.u8());
            int ciphersLength = reader.u16();
            List<Integer> ciphers = new ArrayList<>();
            Reader ciphersReader = reader.sub(ciphersLength);
            while (ciphersReader.remaining() >= 2) {
                ciphers.add(ciphersReader.u16());
            }
            reader.skip(reader.u8());
            return extensions(version, ciphers, reader);
        }
        catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** The body of a ServerHello handshake message. */
    static Hello server(byte[] data, int offset, int length)
    {
        try {
            Reader reader = new Reader(data, offset, offset + length);
            int version = reader.u16();
            reader.skip(32);
            // TLS 1.3 drafts (0x7fNN) had no session id and no compression method in the ServerHello.
            boolean draft = (version >> 8) == 0x7F;
            if (!draft) {
                reader.skip(reader.u8());
            }
            int cipher = reader.u16();
            if (!draft) {
                reader.skip(1);
            }
            return extensions(version, List.of(cipher), reader);
        }
        catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static Hello extensions(int version, List<Integer> ciphers, Reader reader)
    {
        List<Integer> extensions = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        List<Integer> pointFormats = new ArrayList<>();
        List<Integer> signatures = new ArrayList<>();
        List<String> alpn = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        String serverName = "";
        if (reader.remaining() >= 2) {
            Reader all = reader.sub(reader.u16());
            while (all.remaining() >= 4) {
                int type = all.u16();
                Reader body = all.sub(all.u16());
                extensions.add(type);
                switch (type) {
                    case 0 -> {
                        if (body.remaining() >= 5) {
                            Reader names = body.sub(body.u16());
                            while (names.remaining() >= 3) {
                                int nameType = names.u8();
                                String name = names.text(names.u16());
                                if (nameType == 0 && serverName.isEmpty()) {
                                    serverName = name;
                                }
                            }
                        }
                    }
                    case 10 -> {
                        Reader list = body.sub(body.u16());
                        while (list.remaining() >= 2) {
                            groups.add(list.u16());
                        }
                    }
                    case 11 -> {
                        Reader list = body.sub(body.u8());
                        while (list.remaining() >= 1) {
                            pointFormats.add(list.u8());
                        }
                    }
                    case 13 -> {
                        Reader list = body.sub(body.u16());
                        while (list.remaining() >= 2) {
                            signatures.add(list.u16());
                        }
                    }
                    case 16 -> {
                        Reader list = body.sub(body.u16());
                        while (list.remaining() >= 1) {
                            alpn.add(list.text(list.u8()));
                        }
                    }
                    case 43 -> {
                        if (body.remaining() == 2) {
                            versions.add(body.u16());
                        }
                        else if (body.remaining() >= 1) {
                            Reader list = body.sub(body.u8());
                            while (list.remaining() >= 2) {
                                versions.add(list.u16());
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return new Hello(version, List.copyOf(ciphers), List.copyOf(extensions), List.copyOf(groups), List.copyOf(pointFormats),
                List.copyOf(signatures), List.copyOf(alpn), List.copyOf(versions), serverName);
    }

    /** Bounded big-endian reads; running past the end throws IndexOutOfBoundsException (caught by the callers). */
    private static final class Reader
    {
        private final byte[] data;
        private int at;
        private final int end;

        Reader(byte[] data, int at, int end)
        {
            this.data = data;
            this.at = at;
            this.end = end;
        }

        int remaining()
        {
            return end - at;
        }

        int u8()
        {
            check(1);
            return data[at++] & 0xFF;
        }

        int u16()
        {
            check(2);
            int value = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
            at += 2;
            return value;
        }

        void skip(int count)
        {
            check(count);
            at += count;
        }

        Reader sub(int length)
        {
            check(length);
            Reader reader = new Reader(data, at, at + length);
            at += length;
            return reader;
        }

        String text(int length)
        {
            check(length);
            String text = new String(data, at, length, StandardCharsets.UTF_8);
            at += length;
            return text;
        }

        private void check(int count)
        {
            if (count < 0 || at + count > end) {
                throw new IndexOutOfBoundsException();
            }
        }
    }
}
