package io.wirelake.store.meta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Metadata segments as JSON Lines: one {@link WorkloadEvent} per line. */
public final class WorkloadEvents
{
    private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private WorkloadEvents() {}

    public static String toLine(WorkloadEvent event)
    {
        try {
            return MAPPER.writeValueAsString(event);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] toJsonLines(List<WorkloadEvent> events)
    {
        StringBuilder text = new StringBuilder();
        for (WorkloadEvent event : events) {
            text.append(toLine(event)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads every well-formed line; a malformed line (a segment cut by a crash) goes to
     * {@code onBadLine} with its number and the reading goes on.
     */
    public static List<WorkloadEvent> read(InputStream input, Consumer<String> onBadLine)
            throws IOException
    {
        List<WorkloadEvent> events = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(MAPPER.readValue(line, WorkloadEvent.class));
            }
            catch (JsonProcessingException | NullPointerException e) {
                onBadLine.accept("line " + number + ": " + e.getMessage().lines().findFirst().orElse("malformed"));
            }
        }
        return events;
    }
}
