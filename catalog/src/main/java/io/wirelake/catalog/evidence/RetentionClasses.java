package io.wirelake.catalog.evidence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The store's retention classes: its settings, else the defaults. */
public final class RetentionClasses
{
    public static final String SETTINGS_NAME = "retention-classes";

    public static final List<RetentionClass> DEFAULTS = List.of(
            new RetentionClass("daily", "governance", 90, false, "routine daily snapshots: about 3 months at hand (PCI DSS 10.5.1's immediately available part)"),
            new RetentionClass("monthly", "compliance", 365, false, "monthly archive: 12 months nobody can shorten (PCI DSS 10.5.1, SOC 2 Type II window)"),
            new RetentionClass("incident", "", 0, true, "incident evidence: legal hold until released"));

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RetentionClasses() {}

    public static List<RetentionClass> read(ObjectStore store)
            throws IOException
    {
        try {
            Map<String, List<RetentionClass>> settings = JSON.readValue(store.read(Layout.settings(SETTINGS_NAME)), new TypeReference<>() {});
            return List.copyOf(settings.getOrDefault("classes", List.of()));
        }
        catch (NoSuchFileException e) {
            return DEFAULTS;
        }
    }

    public static Optional<RetentionClass> find(ObjectStore store, String name)
            throws IOException
    {
        return read(store).stream().filter(candidate -> candidate.name().equals(name)).findFirst();
    }

    /** Adds or replaces a class in the store's settings. */
    public static List<RetentionClass> put(ObjectStore store, RetentionClass retentionClass)
            throws IOException
    {
        Map<String, RetentionClass> byName = new TreeMap<>();
        read(store).forEach(existing -> byName.put(existing.name(), existing));
        byName.put(retentionClass.name(), retentionClass);
        List<RetentionClass> classes = new ArrayList<>(byName.values());
        store.put(Layout.settings(SETTINGS_NAME), CanonicalJson.of(Map.of("classes", classes)));
        return classes;
    }
}
