package io.wirelake.mcp;

import io.wirelake.query.QueryService;

import java.io.PrintStream;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Reaches Trino once when the server starts, in the background: the local Trino takes tens of
 * seconds to start, longer than many clients wait for a tool's answer, and two tool calls must not
 * both start it. Tools that query wait for it; a failure here is only logged, since the tool's own
 * connection then reports it.
 */
final class TrinoWarmUp
{
    private final CompletableFuture<Void> done;

    private TrinoWarmUp(CompletableFuture<Void> done)
    {
        this.done = requireNonNull(done, "done is null");
    }

    static TrinoWarmUp start(QueryService queries, PrintStream log)
    {
        return new TrinoWarmUp(CompletableFuture.runAsync(() -> {
            try (Connection connection = queries.connect()) {
                log.println("wirelake mcp: " + queries.trino().description() + " is ready (" + connection.getMetaData().getDatabaseProductVersion() + ")");
            }
            catch (Exception e) {
                log.println("wirelake mcp: " + queries.trino().description() + " is not reachable yet (" + e.getMessage() + "); tools that query will retry");
            }
        }));
    }

    /** A warm-up already done (tests, or no Trino wanted). */
    static TrinoWarmUp none()
    {
        return new TrinoWarmUp(CompletableFuture.completedFuture(null));
    }

    void await()
            throws InterruptedException
    {
        try {
            done.get();
        }
        catch (ExecutionException e) {
            // logged by the warm-up itself; the caller's own connection says what is wrong
        }
    }
}
