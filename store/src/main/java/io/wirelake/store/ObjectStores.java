package io.wirelake.store;

import java.nio.file.Path;
import java.util.Map;

/** Opens a store from its location: {@code s3://bucket/prefix} or a local directory. */
public final class ObjectStores
{
    private ObjectStores() {}

    public static ObjectStore open(String location, Map<String, String> environment)
    {
        if (location.startsWith("s3://")) {
            return S3ObjectStore.of(location, S3Settings.fromEnvironment(environment));
        }
        if (location.contains("://")) {
            throw new IllegalArgumentException("unsupported store location " + location + ": use s3://bucket/prefix or a directory");
        }
        return new LocalObjectStore(Path.of(location));
    }
}
