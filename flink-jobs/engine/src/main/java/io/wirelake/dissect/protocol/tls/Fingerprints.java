package io.wirelake.dissect.protocol.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * TLS client and server fingerprints: JA3 and JA3S (Salesforce, MD5 of decimal field lists,
 * GREASE removed) and JA4 (FoxIO: {@code t<version><d|i><ciphers><extensions><alpn>_<sha256 of
 * sorted ciphers>_<sha256 of sorted extensions and signature algorithms>}).
 */
final class Fingerprints
{
    private Fingerprints() {}

    static String ja3(Hello client)
    {
        String text = client.legacyVersion() + "," + decimal(client.cipherSuites()) + "," + decimal(client.extensions()) + ","
                + decimal(client.supportedGroups()) + "," + decimal(client.pointFormats());
        return hex(digest("MD5", text));
    }

    static String ja3s(Hello server)
    {
        String text = server.legacyVersion() + "," + decimal(server.cipherSuites()) + "," + decimal(server.extensions());
        return hex(digest("MD5", text));
    }

    static String ja4(Hello client)
    {
        List<Integer> ciphers = client.cipherSuites().stream().filter(value -> !Hello.isGrease(value)).toList();
        List<Integer> extensions = client.extensions().stream().filter(value -> !Hello.isGrease(value)).toList();
        String version = switch (client.effectiveVersion()) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            default -> "00";
        };
        String alpn = client.alpn().isEmpty() || client.alpn().get(0).isEmpty() ? "00" : alpnCharacters(client.alpn().get(0));
        String a = "t" + version + (client.extensions().contains(0) ? "d" : "i") + String.format("%02d", Math.min(99, ciphers.size()))
                + String.format("%02d", Math.min(99, extensions.size())) + alpn;
        String b = ciphers.isEmpty() ? "000000000000" : sha256Prefix(sortedHex(ciphers));
        List<Integer> counted = extensions.stream().filter(value -> value != 0 && value != 0x10).toList();
        String c = sortedHex(counted);
        if (!client.signatureAlgorithms().isEmpty()) {
            c += "_" + client.signatureAlgorithms().stream().map(value -> String.format("%04x", value)).collect(Collectors.joining(","));
        }
        return a + "_" + b + "_" + (counted.isEmpty() && client.signatureAlgorithms().isEmpty() ? "000000000000" : sha256Prefix(c));
    }

    private static String alpnCharacters(String alpn)
    {
        char first = alpn.charAt(0);
        char last = alpn.charAt(alpn.length() - 1);
        if (Character.isLetterOrDigit(first) && Character.isLetterOrDigit(last) && first < 128 && last < 128) {
            return "" + first + last;
        }
        String hex = HexFormat.of().formatHex(alpn.getBytes(StandardCharsets.UTF_8));
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static String decimal(List<Integer> values)
    {
        return values.stream().filter(value -> !Hello.isGrease(value)).map(String::valueOf).collect(Collectors.joining("-"));
    }

    private static String sortedHex(List<Integer> values)
    {
        return values.stream().sorted().map(value -> String.format("%04x", value)).collect(Collectors.joining(","));
    }

    private static String sha256Prefix(String text)
    {
        return hex(digest("SHA-256", text)).substring(0, 12);
    }

    private static byte[] digest(String algorithm, String text)
    {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.US_ASCII));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    private static String hex(byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }
}
