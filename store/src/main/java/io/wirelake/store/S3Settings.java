package io.wirelake.store;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How to reach an S3 API: AWS itself (no endpoint) or any S3-compatible endpoint (MinIO, Ceph,
 * S3Proxy), usually with path-style addressing. Credentials are not part of the settings: they
 * come from the standard AWS chain (environment, profile, IRSA web identity, container, instance).
 */
public record S3Settings(Optional<String> endpoint, String region, boolean pathStyle)
{
    public S3Settings
    {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
    }

    /**
     * From the environment: {@code WIRELAKE_S3_ENDPOINT}, {@code WIRELAKE_S3_REGION} (else
     * {@code AWS_REGION}, else us-east-1) and {@code WIRELAKE_S3_PATH_STYLE} (true when an endpoint is set).
     */
    public static S3Settings fromEnvironment(Map<String, String> environment)
    {
        Optional<String> endpoint = Optional.ofNullable(environment.get("WIRELAKE_S3_ENDPOINT")).filter(value -> !value.isBlank());
        String region = environment.getOrDefault("WIRELAKE_S3_REGION", environment.getOrDefault("AWS_REGION", "us-east-1"));
        boolean pathStyle = Boolean.parseBoolean(environment.getOrDefault("WIRELAKE_S3_PATH_STYLE", String.valueOf(endpoint.isPresent())));
        return new S3Settings(endpoint, region, pathStyle);
    }
}
