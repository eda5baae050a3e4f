package io.wirelake.catalog.evidence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot's chain of custody ({@code snapshots/<id>/custody.jsonl}): one canonical JSON line per
 * event, each carrying the SHA-256 of the line before it; the first carries the SHA-256 of the
 * sealed manifest, so the log hangs off the seal. Nothing is ever rewritten: an append writes the
 * old bytes plus one line (S3 has no append; on a versioned bucket every earlier state stays as a
 * version). A changed, removed or reordered line breaks the links after it, and verification
 * names the first broken one. Cutting lines off the end leaves no broken link: the bundle's copy,
 * S3 versions and the "verified" entries others hold are what show that.
 */
public final class CustodyLog
{
    /** What happened. */
    public enum Action
    {
        SEALED, TIMESTAMPED, TIMESTAMP_MISSING, DISSECTED, EXPORTED, COPIED, ARCHIVED, HOLD_SET, HOLD_RELEASED, GOVERNANCE_BYPASSED, VERIFIED,
        EVIDENCE_BUNDLED, DELETED;

        public String label()
        {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** One event: when, who, what, details, and the SHA-256 of the previous line (or of the manifest, for the first). */
    public record Entry(String time, String actor, String action, Map<String, String> details, String previousSha256)
    {
        public Entry
        {
            requireNonNull(time, "time is null");
            requireNonNull(actor, "actor is null");
            requireNonNull(action, "action is null");
            details = details == null ? Map.of() : Map.copyOf(new TreeMap<>(details));
            requireNonNull(previousSha256, "previousSha256 is null");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** A log longer than this is refused rather than read into memory. */
    static final int MAX_BYTES = 16 << 20;

    private CustodyLog() {}

    /** Appends an event to the snapshot's log (starting it, anchored on the manifest's SHA-256, if there is none). */
    public static Entry append(ObjectStore store, String id, String manifestSha256, String actor, Action action, Map<String, String> details)
            throws IOException
    {
        byte[] current;
        try {
            current = store.read(Layout.custodyLog(id));
        }
        catch (NoSuchFileException e) {
            current = new byte[0];
        }
        if (current.length > MAX_BYTES) {
            throw new IOException("the custody log of " + id + " is larger than " + MAX_BYTES + " bytes");
        }
        List<String> lines = lines(current);
        String previous = lines.isEmpty() ? manifestSha256 : Hashes.sha256(lines.get(lines.size() - 1).getBytes(StandardCharsets.UTF_8));
        Entry entry = new Entry(Instant.now().toString(), actor, action.label(), details, previous);
        byte[] line = CanonicalJson.of(entry);
        byte[] appended = new byte[current.length + line.length + 1];
        System.arraycopy(current, 0, appended, 0, current.length);
        System.arraycopy(line, 0, appended, current.length, line.length);
        appended[appended.length - 1] = '\n';
        store.put(Layout.custodyLog(id), appended);
        return entry;
    }

    /** The entries of a log, and the problems with its links (empty when every link holds). */
    public record Reading(List<Entry> entries, List<String> problems) {}

    public static Reading read(byte[] content, String manifestSha256)
    {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (content.length > 0 && content[content.length - 1] != '\n') {
            problems.add("custody log: the last line is cut off (no newline at the end)");
        }
        String previous = manifestSha256;
        int number = 0;
        for (String line : lines(content)) {
            number++;
            Entry entry;
            try {
                JsonNode node = JSON.readTree(line);
                entry = JSON.treeToValue(node, Entry.class);
                if (!java.util.Arrays.equals(CanonicalJson.of(node), line.getBytes(StandardCharsets.UTF_8))) {
                    problems.add("custody log line " + number + ": not in canonical form (edited by hand?)");
                }
            }
            catch (IOException | RuntimeException e) {
                problems.add("custody log line " + number + ": not a custody entry (" + e.getMessage() + ")");
                previous = Hashes.sha256(line.getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (!entry.previousSha256().equals(previous)) {
                problems.add("custody log line " + number + " (" + entry.action() + " by " + entry.actor() + " at " + entry.time() + "): its link "
                        + entry.previousSha256() + " is not the SHA-256 " + previous + " of " + (number == 1 ? "the manifest" : "line " + (number - 1)));
            }
            entries.add(entry);
            previous = Hashes.sha256(line.getBytes(StandardCharsets.UTF_8));
        }
        if (number == 0) {
            problems.add("custody log: empty");
        }
        return new Reading(entries, problems);
    }

    private static List<String> lines(byte[] content)
    {
        List<String> lines = new ArrayList<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
