package io.wirelake.catalog.evidence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.lock.LockMode;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Optional;

/**
 * The retention a snapshot was archived with, as {@code snapshot get} and {@code list} show it
 * ({@code snapshots/<id>/retention.json}). The locks that hold are on every object (S3 Object Lock,
 * or the local store's lock records); this record says what was asked, by whom, and through which class.
 *
 * @param mode {@code governance}, {@code compliance}, or empty for none
 * @param retainUntil ISO-8601, or empty
 * @param retentionClass the class it was archived by, or empty
 */
public record RetentionRecord(String mode, String retainUntil, boolean legalHold, String retentionClass, String updatedAt, String updatedBy)
{
    public static final RetentionRecord NONE = new RetentionRecord("", "", false, "", "", "");

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public RetentionRecord
    {
        mode = mode == null ? "" : mode;
        retainUntil = retainUntil == null ? "" : retainUntil;
        retentionClass = retentionClass == null ? "" : retentionClass;
        updatedAt = updatedAt == null ? "" : updatedAt;
        updatedBy = updatedBy == null ? "" : updatedBy;
    }

    public Optional<LockMode> lockMode()
    {
        return mode.isEmpty() ? Optional.empty() : Optional.of(LockMode.parse(mode));
    }

    public Optional<Instant> until()
    {
        return retainUntil.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(retainUntil));
    }

    public boolean any()
    {
        return !mode.isEmpty() || legalHold;
    }

    /** One line: {@code compliance until 2027-05-01T00:00:00Z, legal hold (class monthly)}. */
    public String describe()
    {
        if (!any()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        if (!mode.isEmpty()) {
            text.append(mode).append(" until ").append(retainUntil);
        }
        if (legalHold) {
            text.append(text.isEmpty() ? "" : ", ").append("legal hold");
        }
        if (!retentionClass.isEmpty()) {
            text.append(" (class ").append(retentionClass).append(')');
        }
        return text.toString();
    }

    static RetentionRecord read(ObjectStore store, String id)
            throws IOException
    {
        try {
            return JSON.readValue(store.read(Layout.retention(id)), RetentionRecord.class);
        }
        catch (NoSuchFileException e) {
            return NONE;
        }
    }

    void write(ObjectStore store, String id)
            throws IOException
    {
        store.put(Layout.retention(id), CanonicalJson.of(this));
    }
}
