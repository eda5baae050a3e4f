package io.wirelake.mcp;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A tool call that cannot be answered as asked (a bad argument, an unknown snapshot, a filter that
 * does not compile): the message and any details go back to the agent as the tool's error result,
 * so it can correct the call. Never a protocol error.
 */
final class ToolException
        extends RuntimeException
{
    private final Map<String, Object> details;

    ToolException(String message)
    {
        this(message, Map.of());
    }

    ToolException(String message, Map<String, Object> details)
    {
        super(requireNonNull(message, "message is null"));
        this.details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    Map<String, Object> details()
    {
        return details;
    }
}
