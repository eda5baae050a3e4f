package io.wirelake.catalog.evidence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in lower-case hex, the one digest of evidence (as {@code sha256sum} prints it). */
final class Hashes
{
    private Hashes() {}

    static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] content)
    {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    static byte[] sha256Bytes(byte[] content)
    {
        return sha256().digest(content);
    }
}
