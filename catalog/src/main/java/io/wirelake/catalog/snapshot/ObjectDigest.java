package io.wirelake.catalog.snapshot;

import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One pass over an object: its size and SHA-256, and for a capture its packet count and first/last packet times. */
record ObjectDigest(long size, String sha256, long firstPacketMicros, long lastPacketMicros, long packets)
{
    static ObjectDigest of(InputStream input, boolean capture)
            throws IOException
    {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long[] size = {0};
        InputStream counted = new java.io.FilterInputStream(new DigestInputStream(input, digest))
        {
            @Override
            public int read()
                    throws IOException
            {
                int value = super.read();
                size[0] += value < 0 ? 0 : 1;
                return value;
            }

            @Override
            public int read(byte[] buffer, int offset, int length)
                    throws IOException
            {
                int read = super.read(buffer, offset, length);
                size[0] += Math.max(read, 0);
                return read;
            }

            @Override
            public void close()
            {
                // the caller closes the underlying stream
            }
        };
        long first = 0;
        long last = 0;
        long packets = 0;
        if (capture) {
            try {
                CaptureReader reader = CaptureReaders.open(counted);
                while (reader.next()) {
                    if (packets++ == 0) {
                        first = reader.timestampMicros();
                    }
                    last = Math.max(last, reader.timestampMicros());
                }
            }
            catch (io.wirelake.packets.capture.CaptureFormatException e) {
                // not a capture after all: hashed like any object
            }
        }
        counted.transferTo(java.io.OutputStream.nullOutputStream());
        return new ObjectDigest(size[0], HexFormat.of().formatHex(digest.digest()), first, last, packets);
    }
}
