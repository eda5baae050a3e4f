package io.wirelake.catalog.evidence;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The POSIX ustar format (IEEE Std 1003.1-2001, "pax interchange format" without extensions), the
 * subset evidence bundles need: regular files with names up to 255 bytes, read back with every
 * header checked. GNU tar, bsdtar and Python's tarfile read what it writes.
 */
final class Tar
{
    private static final int BLOCK = 512;
    /** 11 octal digits: the ustar size field's limit. */
    static final long MAX_ENTRY_BYTES = 077777777777L;

    private Tar() {}

    /** Writes entries one after another; {@link #finish} writes the end-of-archive blocks. */
    static final class Writer
    {
        private final OutputStream output;
        private final long mtimeSeconds;

        Writer(OutputStream output, Instant mtime)
        {
            this.output = output;
            this.mtimeSeconds = mtime.getEpochSecond();
        }

        void add(String name, byte[] content)
                throws IOException
        {
            add(name, content.length, new java.io.ByteArrayInputStream(content));
        }

        void add(String name, long size, InputStream content)
                throws IOException
        {
            output.write(header(name, size, mtimeSeconds));
            long copied = content.transferTo(output);
            if (copied != size) {
                throw new IOException(name + " changed while it was written into the bundle (" + copied + " bytes, expected " + size + ")");
            }
            pad(size);
        }

        void finish()
                throws IOException
        {
            output.write(new byte[2 * BLOCK]);
            output.flush();
        }

        private void pad(long size)
                throws IOException
        {
            int remainder = (int) (size % BLOCK);
            if (remainder != 0) {
                output.write(new byte[BLOCK - remainder]);
            }
        }
    }

    private static byte[] header(String name, long size, long mtime)
    {
        byte[] header = new byte[BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        String prefix = "";
        String base = name;
        if (nameBytes.length > 100) {
            int split = name.lastIndexOf('/', name.length() - 1);
            while (split > 0 && (name.substring(split + 1).getBytes(StandardCharsets.UTF_8).length > 100 || name.substring(0, split).getBytes(StandardCharsets.UTF_8).length > 155)) {
                split = name.lastIndexOf('/', split - 1);
            }
            if (split <= 0) {
                throw new IllegalArgumentException("name too long for ustar: " + name);
            }
            prefix = name.substring(0, split);
            base = name.substring(split + 1);
        }
        if (size < 0 || size > MAX_ENTRY_BYTES) {
            throw new IllegalArgumentException("entry too large for ustar: " + name);
        }
        put(header, 0, 100, base.getBytes(StandardCharsets.UTF_8));
        put(header, 100, 8, octal(0644, 7));
        put(header, 108, 8, octal(0, 7));
        put(header, 116, 8, octal(0, 7));
        put(header, 124, 12, octal(size, 11));
        put(header, 136, 12, octal(mtime, 11));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(header, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
        long checksum = 0;
        for (byte value : header) {
            checksum += value & 0xff;
        }
        put(header, 148, 8, (String.format("%06o", checksum) + "\0 ").getBytes(StandardCharsets.US_ASCII));
        return header;
    }

    private static byte[] octal(long value, int digits)
    {
        return (String.format("%0" + digits + "o", value) + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(byte[] header, int offset, int length, byte[] value)
    {
        if (value.length > length) {
            throw new IllegalArgumentException("ustar field too long");
        }
        System.arraycopy(value, 0, header, offset, value.length);
    }

    /** An entry as read: its name and size, and a stream of exactly its bytes. */
    interface EntryHandler
    {
        void entry(String name, long size, InputStream content)
                throws IOException;
    }

    /**
     * Reads every regular file of an archive. Anything else (links, devices, a bad checksum, a
     * name that climbs out with {@code ..}, a cut-off archive) is an error naming it: a bundle is
     * evidence, and a strange one is not repaired.
     */
    static int read(InputStream input, EntryHandler handler, int maxEntries)
            throws IOException
    {
        byte[] header = new byte[BLOCK];
        int entries = 0;
        while (true) {
            if (input.readNBytes(header, 0, BLOCK) != BLOCK) {
                throw new EOFException("the archive ends in the middle (no end-of-archive blocks)");
            }
            if (isZero(header)) {
                return entries;
            }
            if (++entries > maxEntries) {
                throw new IOException("more than " + maxEntries + " entries: not an evidence bundle");
            }
            String magic = new String(header, 257, 5, StandardCharsets.US_ASCII);
            if (!magic.equals("ustar")) {
                throw new IOException("entry " + entries + " is not a ustar header");
            }
            long expected = parseOctal(header, 148, 8, "checksum");
            long sum = 0;
            for (int i = 0; i < BLOCK; i++) {
                sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
            }
            if (sum != expected) {
                throw new IOException("entry " + entries + ": header checksum " + sum + ", the header says " + expected);
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = parseOctal(header, 124, 12, "size");
            byte type = header[156];
            if (type == '5') {
                continue;
            }
            if (type != '0' && type != 0) {
                throw new IOException("entry " + name + " is not a regular file (type '" + (char) type + "'): not accepted in a bundle");
            }
            checkName(name);
            BoundedInput content = new BoundedInput(input, size);
            handler.entry(name, size, content);
            content.skipRest();
            long remainder = size % BLOCK;
            if (remainder != 0) {
                input.skipNBytes(BLOCK - remainder);
            }
        }
    }

    private static void checkName(String name)
            throws IOException
    {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.equals("..") || name.startsWith("../") || name.contains("/../")
                || name.endsWith("/..") || name.chars().anyMatch(c -> c < 0x20)) {
            throw new IOException("entry name '" + name.replaceAll("\\p{Cntrl}", "?") + "' is not a plain relative path");
        }
    }

    private static boolean isZero(byte[] block)
    {
        for (byte value : block) {
            if (value != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length)
    {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] header, int offset, int length, String field)
            throws IOException
    {
        String text = text(header, offset, length).trim();
        if (!text.matches("[0-7]{1,12}")) {
            throw new IOException("bad ustar " + field + " field '" + text + "'");
        }
        return Long.parseLong(text, 8);
    }

    /** Exactly {@code size} bytes of the archive, then end of stream. */
    private static final class BoundedInput
            extends FilterInputStream
    {
        private long remaining;

        BoundedInput(InputStream input, long size)
        {
            super(input);
            this.remaining = size;
        }

        @Override
        public int read()
                throws IOException
        {
            if (remaining <= 0) {
                return -1;
            }
            int value = super.read();
            if (value < 0) {
                throw new EOFException("the archive ends inside an entry");
            }
            remaining--;
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            if (remaining <= 0) {
                return -1;
            }
            int read = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (read < 0) {
                throw new EOFException("the archive ends inside an entry");
            }
            remaining -= read;
            return read;
        }

        @Override
        public void close()
        {
            // the archive stays open for the next entry
        }

        void skipRest()
                throws IOException
        {
            while (remaining > 0) {
                long skipped = super.skip(remaining);
                if (skipped <= 0) {
                    if (super.read() < 0) {
                        throw new EOFException("the archive ends inside an entry");
                    }
                    skipped = 1;
                }
                remaining -= skipped;
            }
        }
    }
}
