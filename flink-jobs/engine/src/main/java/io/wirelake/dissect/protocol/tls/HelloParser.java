package io.wirelake.dissect.protocol.tls;

import io.wirelake.dissect.protocol.toolkit.BoundedReader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses ClientHello and ServerHello bodies (RFC 8446 section 4.1) with bounded reads; null when a length runs past the message. */
final class HelloParser
{
    private HelloParser() {}

    /** The body of a ClientHello handshake message (after its 4-byte header). */
    static Hello client(byte[] data, int offset, int length)
    {
        BoundedReader reader = new BoundedReader(data, offset, length);
        int version = reader.u16();
        reader.skip(32);
        reader.skip(reader.u8());
        int ciphersLength = reader.u16();
        List<Integer> ciphers = new ArrayList<>();
        BoundedReader ciphersReader = reader.slice(ciphersLength);
        while (ciphersReader.remaining() >= 2) {
            ciphers.add(ciphersReader.u16());
        }
        reader.skip(reader.u8());
        Hello hello = extensions(version, ciphers, reader);
        return reader.ranOut() ? null : hello;
    }

    /** The body of a ServerHello handshake message. */
    static Hello server(byte[] data, int offset, int length)
    {
        BoundedReader reader = new BoundedReader(data, offset, length);
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
        Hello hello = extensions(version, List.of(cipher), reader);
        return reader.ranOut() ? null : hello;
    }

    private static Hello extensions(int version, List<Integer> ciphers, BoundedReader reader)
    {
        List<Integer> extensions = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        List<Integer> pointFormats = new ArrayList<>();
        List<Integer> signatures = new ArrayList<>();
        List<String> alpn = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        String serverName = "";
        if (reader.remaining() >= 2) {
            BoundedReader all = reader.slice(reader.u16());
            while (all.remaining() >= 4) {
                int type = all.u16();
                BoundedReader body = all.slice(all.u16());
                extensions.add(type);
                switch (type) {
                    case 0 -> {
                        if (body.remaining() >= 5) {
                            BoundedReader names = body.slice(body.u16());
                            while (names.remaining() >= 3) {
                                int nameType = names.u8();
                                String name = names.text(names.u16(), StandardCharsets.UTF_8);
                                if (nameType == 0 && serverName.isEmpty()) {
                                    serverName = name;
                                }
                            }
                        }
                    }
                    case 10 -> {
                        BoundedReader list = body.slice(body.u16());
                        while (list.remaining() >= 2) {
                            groups.add(list.u16());
                        }
                    }
                    case 11 -> {
                        BoundedReader list = body.slice(body.u8());
                        while (list.remaining() >= 1) {
                            pointFormats.add(list.u8());
                        }
                    }
                    case 13 -> {
                        BoundedReader list = body.slice(body.u16());
                        while (list.remaining() >= 2) {
                            signatures.add(list.u16());
                        }
                    }
                    case 16 -> {
                        BoundedReader list = body.slice(body.u16());
                        while (list.remaining() >= 1) {
                            alpn.add(list.text(list.u8(), StandardCharsets.UTF_8));
                        }
                    }
                    case 43 -> {
                        if (body.remaining() == 2) {
                            versions.add(body.u16());
                        }
                        else if (body.remaining() >= 1) {
                            BoundedReader list = body.slice(body.u8());
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
                List.copyOf(signatures), List.copyOf(alpn), List.copyOf(versions), serverName, false);
    }
}
