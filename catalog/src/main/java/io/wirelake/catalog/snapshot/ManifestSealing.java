package io.wirelake.catalog.snapshot;

import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;

import java.io.IOException;

/**
 * How {@link Snapshots#create} writes a new snapshot's manifest: the narrow hook through which the
 * evidence package seals it (chain link, Ed25519 signature, timestamp, custody log) as it is
 * written. {@link #UNSEALED} writes it plainly.
 */
public interface ManifestSealing
{
    ManifestSealing UNSEALED = (store, manifest) -> {
        store.put(Layout.manifest(manifest.id()), Snapshots.JSON.writeValueAsBytes(manifest));
        return manifest;
    };

    /** Writes the manifest of a snapshot whose objects are frozen; returns the manifest as written. */
    Manifest write(ObjectStore store, Manifest manifest)
            throws IOException;
}
