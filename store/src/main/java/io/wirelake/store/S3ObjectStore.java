package io.wirelake.store;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.wirelake.store.lock.LockMode;
import io.wirelake.store.lock.ObjectLock;
import io.wirelake.store.lock.ObjectLockedException;
import io.wirelake.store.lock.ObjectLocks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A bucket and prefix of an S3 API through aws-sdk-java-v2 (Apache HTTP client). Copies are
 * server-side ({@code CopyObject}). Every SDK failure surfaces as an {@link IOException} naming
 * the operation and key, so callers (the collector's spool) treat an unreachable store like any
 * other I/O failure and retry.
 *
 * <p>Object Lock: retention and legal hold are set per object ({@code PutObjectRetention},
 * {@code PutObjectLegalHold}) on a bucket created with Object Lock, which S3 enforces itself. In
 * such a (necessarily versioned) bucket a plain {@code DeleteObject} still succeeds: it only adds a
 * delete marker and the locked version stays; deleting a locked version itself is refused by S3.
 * Uploads carry an SDK checksum (CRC32 by default since SDK 2.30), which Object Lock requires.
 */
public final class S3ObjectStore
        implements ObjectStore, ObjectLocks
{
    /** The largest object a single PutObject or CopyObject moves. */
    static final long SINGLE_REQUEST_LIMIT = 5L << 30;

    private final String bucket;
    private final String prefix;
    private final S3Client client;

    /** With the standard AWS credential chain. */
    public S3ObjectStore(String bucket, String prefix, S3Settings settings)
    {
        this(bucket, prefix, settings, DefaultCredentialsProvider.builder().build());
    }

    public S3ObjectStore(String bucket, String prefix, S3Settings settings, AwsCredentialsProvider credentials)
    {
        this.bucket = requireNonNull(bucket, "bucket is null");
        String trimmed = requireNonNull(prefix, "prefix is null").replaceAll("^/+|/+$", "");
        this.prefix = trimmed.isEmpty() ? "" : trimmed + "/";
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(configuration -> configuration.apiCallTimeout(Duration.ofMinutes(10)));
        settings.endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        this.client = builder.build();
    }

    /** {@code s3://bucket/prefix} into bucket and prefix. */
    public static S3ObjectStore of(String location, S3Settings settings)
    {
        URI uri = URI.create(location);
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an s3://bucket/prefix location: " + location);
        }
        return new S3ObjectStore(uri.getHost(), uri.getPath() == null ? "" : uri.getPath(), settings);
    }

    @Override
    public String location()
    {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public String uri(String key)
    {
        ObjectStore.checkKey(key);
        return "s3://" + bucket + "/" + prefix + key;
    }

    @Override
    public void put(String key, Path file)
            throws IOException
    {
        long size = Files.size(file);
        if (size > SINGLE_REQUEST_LIMIT) {
            throw new IOException("cannot upload " + file + " (" + size + " bytes) as one object: segments are limited to 5 GiB; rotate smaller");
        }
        call("upload", key, () -> client.putObject(request -> request.bucket(bucket).key(fullKey(key)), RequestBody.fromFile(file)));
    }

    @Override
    public void put(String key, byte[] content)
            throws IOException
    {
        call("upload", key, () -> client.putObject(request -> request.bucket(bucket).key(fullKey(key)), RequestBody.fromBytes(content)));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content)
            throws IOException
    {
        try {
            client.putObject(request -> request.bucket(bucket).key(fullKey(key)).ifNoneMatch("*"), RequestBody.fromBytes(content));
            return true;
        }
        catch (S3Exception e) {
            // 412 Precondition Failed: the key exists; 409: a concurrent conditional write is in flight.
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw new IOException("conditional upload " + uri(key) + " failed: " + e.awsErrorDetails().errorMessage() + " (HTTP " + e.statusCode() + ")", e);
        }
        catch (SdkException e) {
            throw new IOException("conditional upload " + location() + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key)
            throws IOException
    {
        return call("read", key, () -> client.getObject(request -> request.bucket(bucket).key(fullKey(key))));
    }

    @Override
    public Optional<ObjectInfo> stat(String key)
            throws IOException
    {
        try {
            long size = call("stat", key, () -> client.headObject(request -> request.bucket(bucket).key(fullKey(key))).contentLength());
            return Optional.of(new ObjectInfo(key, size));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String keyPrefix)
            throws IOException
    {
        return call("list", keyPrefix, () -> {
            List<ObjectInfo> objects = new ArrayList<>();
            for (S3Object object : client.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix + keyPrefix)).contents()) {
                objects.add(new ObjectInfo(object.key().substring(prefix.length()), object.size()));
            }
            objects.sort(java.util.Comparator.comparing(ObjectInfo::key));
            return objects;
        });
    }

    @Override
    public void copy(String sourceKey, String targetKey)
            throws IOException
    {
        call("copy", sourceKey, () -> client.copyObject(request -> request
                .sourceBucket(bucket).sourceKey(fullKey(sourceKey))
                .destinationBucket(bucket).destinationKey(fullKey(targetKey))));
    }

    @Override
    public void delete(String key)
            throws IOException
    {
        call("delete", key, () -> client.deleteObject(request -> request.bucket(bucket).key(fullKey(key))));
    }

    @Override
    public int abortIncompleteUploads(String keyPrefix)
            throws IOException
    {
        return call("abort the incomplete uploads under", keyPrefix, () -> {
            int aborted = 0;
            for (var upload : client.listMultipartUploadsPaginator(request -> request.bucket(bucket).prefix(prefix + keyPrefix)).uploads()) {
                client.abortMultipartUpload(request -> request.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                aborted++;
            }
            return aborted;
        });
    }

    @Override
    public void retain(String key, LockMode mode, Instant until, boolean bypassGovernance)
            throws IOException
    {
        ObjectLockRetentionMode retentionMode = switch (mode) {
            case GOVERNANCE -> ObjectLockRetentionMode.GOVERNANCE;
            case COMPLIANCE -> ObjectLockRetentionMode.COMPLIANCE;
        };
        locking("set the retention of", key, () -> client.putObjectRetention(request -> request.bucket(bucket).key(fullKey(key))
                .retention(retention -> retention.mode(retentionMode).retainUntilDate(until))
                .bypassGovernanceRetention(bypassGovernance ? Boolean.TRUE : null)));
    }

    @Override
    public void legalHold(String key, boolean on)
            throws IOException
    {
        locking("set the legal hold of", key, () -> client.putObjectLegalHold(request -> request.bucket(bucket).key(fullKey(key))
                .legalHold(hold -> hold.status(on ? ObjectLockLegalHoldStatus.ON : ObjectLockLegalHoldStatus.OFF))));
    }

    @Override
    public ObjectLock lock(String key)
            throws IOException
    {
        ObjectLock lock = ObjectLock.NONE;
        try {
            var retention = call("read the retention of", key, () -> client.getObjectRetention(request -> request.bucket(bucket).key(fullKey(key))).retention());
            if (retention != null && retention.mode() != null && retention.retainUntilDate() != null) {
                LockMode mode = retention.mode() == ObjectLockRetentionMode.COMPLIANCE ? LockMode.COMPLIANCE : LockMode.GOVERNANCE;
                lock = ObjectLock.retention(mode, retention.retainUntilDate(), false);
            }
        }
        catch (NoSuchFileException e) {
            // no retention on the object (NoSuchObjectLockConfiguration is a 404)
            stat(key).orElseThrow(() -> e);
        }
        catch (IOException e) {
            if (!noLockConfiguration(e)) {
                throw e;
            }
        }
        try {
            var hold = call("read the legal hold of", key, () -> client.getObjectLegalHold(request -> request.bucket(bucket).key(fullKey(key))).legalHold());
            lock = lock.withLegalHold(hold != null && hold.status() == ObjectLockLegalHoldStatus.ON);
        }
        catch (NoSuchFileException e) {
            // no legal hold was ever set
        }
        catch (IOException e) {
            if (!noLockConfiguration(e)) {
                throw e;
            }
        }
        return lock;
    }

    @Override
    public void deleteBypassingGovernance(String key)
            throws IOException
    {
        call("delete", key, () -> client.deleteObject(request -> request.bucket(bucket).key(fullKey(key)).bypassGovernanceRetention(true)));
    }

    @Override
    public boolean locksEnabled()
            throws IOException
    {
        try {
            var configuration = client.getObjectLockConfiguration(request -> request.bucket(bucket)).objectLockConfiguration();
            return configuration != null && configuration.objectLockEnabled() == ObjectLockEnabled.ENABLED;
        }
        catch (S3Exception e) {
            // 404: the bucket has no Object Lock; 501: the server (an S3-compatible one such as S3Proxy) has none at all.
            if (e.statusCode() == 404 || e.statusCode() == 501 || noLockConfiguration(new IOException(e))) {
                return false;
            }
            throw new IOException("read the Object Lock configuration of s3://" + bucket + " failed: " + e.awsErrorDetails().errorMessage() + " (HTTP " + e.statusCode() + ")", e);
        }
        catch (SdkException e) {
            throw new IOException("read the Object Lock configuration of s3://" + bucket + " failed: " + e.getMessage(), e);
        }
    }

    /** A lock call S3 refuses (a 403 on an Object Lock refusal, or a bucket without Object Lock) becomes an {@link ObjectLockedException}. */
    private void locking(String operation, String key, Call<?> call)
            throws IOException
    {
        try {
            call(operation, key, call);
        }
        catch (NoSuchFileException e) {
            throw e;
        }
        catch (IOException e) {
            if (e.getCause() instanceof S3Exception s3 && (s3.statusCode() == 403 || s3.statusCode() == 400)) {
                throw new ObjectLockedException(e.getMessage());
            }
            throw e;
        }
    }

    private static boolean noLockConfiguration(IOException e)
    {
        return e.getCause() instanceof S3Exception s3 && s3.awsErrorDetails() != null
                && ("ObjectLockConfigurationNotFoundError".equals(s3.awsErrorDetails().errorCode())
                || "NoSuchObjectLockConfiguration".equals(s3.awsErrorDetails().errorCode())
                || "InvalidRequest".equals(s3.awsErrorDetails().errorCode()));
    }

    @Override
    public void close()
    {
        client.close();
    }

    private String fullKey(String key)
    {
        ObjectStore.checkKey(key);
        return prefix + key;
    }

    private interface Call<T>
    {
        T run();
    }

    private <T> T call(String operation, String key, Call<T> call)
            throws IOException
    {
        try {
            return call.run();
        }
        catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key, null, "no such object in " + location());
        }
        catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(key, null, "no such object in " + location());
            }
            throw new IOException(operation + " " + uri(key) + " failed: " + e.awsErrorDetails().errorMessage() + " (HTTP " + e.statusCode() + ")", e);
        }
        catch (SdkException e) {
            throw new IOException(operation + " " + location() + key + " failed: " + e.getMessage(), e);
        }
    }
}
