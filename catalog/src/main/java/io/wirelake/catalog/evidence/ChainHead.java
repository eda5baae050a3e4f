package io.wirelake.catalog.evidence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A link of a store's chain of sealed manifests: which snapshot took a sequence number, and the
 * SHA-256 of its sealed manifest. Each link is claimed once with a conditional write
 * ({@code chain/links/<seq>.json}); {@code chain/head.json} names the newest as a hint, since two
 * seals finishing together may write it in either order.
 */
record ChainHead(String snapshot, long sequence, String sha256)
{
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    ChainHead
    {
        requireNonNull(snapshot, "snapshot is null");
        requireNonNull(sha256, "sha256 is null");
    }

    /** The newest link: the head record, and any links claimed after it (by seals still running, or that died before moving the head). */
    static Optional<ChainHead> newest(ObjectStore store)
            throws IOException
    {
        Optional<ChainHead> head = read(store);
        while (true) {
            long next = head.map(ChainHead::sequence).orElse(0L) + 1;
            try {
                head = Optional.of(JSON.readValue(store.read(Layout.chainLink(next)), ChainHead.class));
            }
            catch (NoSuchFileException e) {
                return head;
            }
        }
    }

    /** Takes this link's sequence number, unless another seal has it; returns whether this one did. */
    boolean claim(ObjectStore store)
            throws IOException
    {
        return store.putIfAbsent(Layout.chainLink(sequence), CanonicalJson.of(this));
    }

    private static Optional<ChainHead> read(ObjectStore store)
            throws IOException
    {
        try {
            return Optional.of(JSON.readValue(store.read(Layout.chainHead()), ChainHead.class));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    void write(ObjectStore store)
            throws IOException
    {
        store.put(Layout.chainHead(), CanonicalJson.of(this));
    }
}
