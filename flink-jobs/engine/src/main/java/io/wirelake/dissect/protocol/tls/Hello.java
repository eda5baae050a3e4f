package io.wirelake.dissect.protocol.tls;

import java.util.List;

/**
 * A parsed ClientHello or ServerHello (RFC 8446 section 4.1.2 and 4.1.3): what fingerprints and
 * the row need. Lists keep wire order; GREASE values (RFC 8701) are kept and filtered where a
 * fingerprint says so. {@code helloRetry} marks a ServerHello that is a HelloRetryRequest.
 */
record Hello(int legacyVersion, List<Integer> cipherSuites, List<Integer> extensions, List<Integer> supportedGroups, List<Integer> pointFormats,
        List<Integer> signatureAlgorithms, List<String> alpn, List<Integer> supportedVersions, String serverName, boolean isHelloRetry)
{
    /** This ServerHello is a HelloRetryRequest: the server asks for another ClientHello, and its real ServerHello follows. */
    Hello asHelloRetry()
    {
        return new Hello(legacyVersion, cipherSuites, extensions, supportedGroups, pointFormats, signatureAlgorithms, alpn, supportedVersions, serverName, true);
    }

    static boolean isGrease(int value)
    {
        return (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);
    }

    /** The version the hello speaks for: the highest supported_versions entry, else the legacy version. */
    int effectiveVersion()
    {
        return supportedVersions.stream().filter(version -> !isGrease(version)).max(Integer::compare).orElse(legacyVersion);
    }

    static String versionName(int version)
    {
        return switch (version) {
            case 0x0304 -> "TLSv1.3";
            case 0x0303 -> "TLSv1.2";
            case 0x0302 -> "TLSv1.1";
            case 0x0301 -> "TLSv1.0";
            case 0x0300 -> "SSLv3";
            case 0x0002 -> "SSLv2";
            default -> (version >> 8) == 0x7F ? "TLSv1.3-draft-" + (version & 0xFF) : String.format("0x%04X", version);
        };
    }
}
