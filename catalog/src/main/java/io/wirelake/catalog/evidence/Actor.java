package io.wirelake.catalog.evidence;

import io.wirelake.store.meta.CaptureSession;

import java.util.Map;

/** Who does something to a snapshot, for its custody log: {@code WIRELAKE_ACTOR}, else {@code user@host}. */
public final class Actor
{
    private Actor() {}

    public static String current(Map<String, String> environment)
    {
        String configured = environment.get("WIRELAKE_ACTOR");
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        return System.getProperty("user.name", "unknown") + "@" + CaptureSession.localHost();
    }
}
