package io.wirelake.catalog.evidence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The newest link of a store's chain of sealed manifests ({@code chain/head.json}). */
record ChainHead(String snapshot, long sequence, String sha256)
{
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    ChainHead
    {
        requireNonNull(snapshot, "snapshot is null");
        requireNonNull(sha256, "sha256 is null");
    }

    static Optional<ChainHead> read(ObjectStore store)
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
