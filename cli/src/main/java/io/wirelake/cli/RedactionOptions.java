package io.wirelake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.dissect.redact.Redaction;
import io.wirelake.dissect.redact.RedactionRules;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a dissection's redaction comes from: {@code --redact FILE} (a rules file), {@code --redact
 * none}, the store's {@code settings/redaction.json} for snapshots, else the default rules. The
 * keyed hash uses a key of the store's own, derived from a master key kept beside the seal key
 * ({@code $WIRELAKE_HOME/keys/redaction-hmac.key}, made on first use, mode 0600; or the file
 * {@code WIRELAKE_REDACTION_KEY} names), so equal secrets correlate within a store and not across
 * stores.
 *
 * <p>The rules file is JSON: {@code {"defaults": true, "headers": [...], "keys": [...],
 * "patterns": [...], "annotations": [...], "protocolCommands": true}}; every member is optional,
 * and {@code "defaults": false} drops the default rules.
 */
final class RedactionOptions
{
    static final String SETTINGS_NAME = "redaction";
    static final String KEY_FILE_NAME = "redaction-hmac.key";
    private static final Set<String> MEMBERS = Set.of("defaults", "headers", "keys", "patterns", "annotations", "protocolCommands");

    private RedactionOptions() {}

    /** The rules of {@code --redact}: null means not given. */
    static Optional<RedactionRules> fromOption(String option)
            throws IOException
    {
        if (option == null || option.isBlank()) {
            return Optional.empty();
        }
        if (option.equals("none")) {
            return Optional.of(RedactionRules.NONE);
        }
        Path file = Path.of(option);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--redact: no rules file " + file + " (or give none)");
        }
        return Optional.of(parse(Files.readString(file), file.toString()));
    }

    /** The rules for a snapshot of a store: the option's, else the store's settings, else the defaults. */
    static RedactionRules forStore(Optional<RedactionRules> option, ObjectStore store)
            throws IOException
    {
        if (option.isPresent()) {
            return option.get();
        }
        String key = Layout.settings(SETTINGS_NAME);
        if (store.stat(key).isPresent()) {
            return parse(new String(store.read(key), StandardCharsets.UTF_8), store.uri(key));
        }
        return RedactionRules.DEFAULTS;
    }

    static RedactionRules parse(String json, String source)
    {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        }
        catch (IOException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a redaction rules file is a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException(source + ": unknown member \"" + name + "\" (known: " + String.join(", ", new java.util.TreeSet<>(MEMBERS)) + ")");
            }
        }
        RedactionRules own = new RedactionRules(true, strings(root, "headers", source), strings(root, "keys", source), strings(root, "patterns", source),
                strings(root, "annotations", source), root.path("protocolCommands").asBoolean(false));
        try {
            return root.path("defaults").asBoolean(true) ? RedactionRules.DEFAULTS.plus(own) : own;
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode root, String member, String source)
    {
        JsonNode node = root.path(member);
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(source + ": \"" + member + "\" is a list of strings");
        }
        List<String> values = new ArrayList<>();
        node.forEach(value -> {
            if (!value.isTextual()) {
                throw new IllegalArgumentException(source + ": \"" + member + "\" holds " + value + ", not a string");
            }
            values.add(value.asText());
        });
        return values;
    }

    /** The rules with the key for this store (or for plain {@code dissect}, the scope {@code dissect}). */
    static Redaction redaction(RedactionRules rules, String scope)
            throws IOException
    {
        if (!rules.enabled()) {
            return Redaction.NONE;
        }
        byte[] master = masterKey(System.getenv());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return new Redaction(rules, mac.doFinal(("wirelake redaction key for " + scope).getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java", e);
        }
    }

    /** The master key: the file WIRELAKE_REDACTION_KEY names, else beside the seal key; 32 random bytes, made on first use. */
    static byte[] masterKey(Map<String, String> environment)
            throws IOException
    {
        String home = environment.getOrDefault("WIRELAKE_HOME", System.getProperty("user.home") + "/.wirelake");
        Path file = Optional.ofNullable(environment.get("WIRELAKE_REDACTION_KEY")).filter(value -> !value.isBlank()).map(Path::of)
                .orElse(Path.of(home, "keys", KEY_FILE_NAME));
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".redaction", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, HexFormat.of().formatHex(key) + "\n");
            try {
                Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            catch (IOException e) {
                Files.deleteIfExists(temporary);
                if (!Files.exists(file)) {
                    throw e;
                }
            }
        }
        String text = Files.readString(file).trim();
        try {
            byte[] key = HexFormat.of().parseHex(text);
            if (key.length < 16) {
                throw new IllegalArgumentException("too short");
            }
            return key;
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a redaction key (64 hex digits)");
        }
    }
}
