package io.wirelake.catalog.evidence;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the seal key is, which TSA timestamps manifests and which certificates it is trusted
 * through, and who is acting.
 *
 * @param keyFile the Ed25519 private key, created on first use
 * @param tsaUrl the RFC 3161 TSA; without one, manifests are signed and chained but not timestamped
 * @param tsaTrust a PEM file of the certificates the TSA's certificate must chain to
 */
public record EvidenceSettings(Path keyFile, Optional<URI> tsaUrl, Optional<Path> tsaTrust, String actor)
{
    public static final String KEY_FILE_NAME = "seal-ed25519.pem";

    public EvidenceSettings
    {
        requireNonNull(keyFile, "keyFile is null");
        requireNonNull(tsaUrl, "tsaUrl is null");
        requireNonNull(tsaTrust, "tsaTrust is null");
        requireNonNull(actor, "actor is null");
    }

    /**
     * From the environment: {@code WIRELAKE_SEAL_KEY} (default {@code $WIRELAKE_HOME/keys/seal-ed25519.pem},
     * {@code WIRELAKE_HOME} defaulting to {@code ~/.wirelake}), {@code WIRELAKE_TSA_URL},
     * {@code WIRELAKE_TSA_CA} and {@code WIRELAKE_ACTOR}.
     */
    public static EvidenceSettings fromEnvironment(Map<String, String> environment)
    {
        String home = environment.getOrDefault("WIRELAKE_HOME", System.getProperty("user.home") + "/.wirelake");
        Path key = Optional.ofNullable(environment.get("WIRELAKE_SEAL_KEY")).filter(value -> !value.isBlank()).map(Path::of)
                .orElse(Path.of(home, "keys", KEY_FILE_NAME));
        Optional<URI> tsa = Optional.ofNullable(environment.get("WIRELAKE_TSA_URL")).filter(value -> !value.isBlank()).map(URI::create);
        Optional<Path> trust = Optional.ofNullable(environment.get("WIRELAKE_TSA_CA")).filter(value -> !value.isBlank()).map(Path::of);
        return new EvidenceSettings(key, tsa, trust, Actor.current(environment));
    }

    public EvidenceSettings withTsa(URI url, Optional<Path> trust)
    {
        return new EvidenceSettings(keyFile, Optional.of(url), trust, actor);
    }
}
