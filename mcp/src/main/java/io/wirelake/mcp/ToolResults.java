package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import io.wirelake.catalog.snapshot.SnapshotException;
import io.wirelake.kfl.KflException;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Tool answers as MCP carries them: the JSON as the text content; a failure as
 * {@code {"error": message, ...}} with {@code isError}, so the agent reads why and can correct the
 * call. A KFL filter that does not compile says where ({@code line}, {@code column}) and what was
 * probably meant ({@code suggestion}).
 */
final class ToolResults
{
    private ToolResults() {}

    static McpSchema.CallToolResult success(JsonNode answer)
    {
        return McpSchema.CallToolResult.builder().content(List.of(McpSchema.TextContent.builder(Json.text(answer)).build())).isError(false).build();
    }

    static McpSchema.CallToolResult failure(ObjectNode error)
    {
        return McpSchema.CallToolResult.builder().content(List.of(McpSchema.TextContent.builder(Json.text(error)).build())).isError(true).build();
    }

    /** What a tool's failure tells the agent; unexpected failures are also logged (stderr) with their stack. */
    static McpSchema.CallToolResult failure(String tool, Throwable thrown, PrintStream log)
    {
        Throwable cause = unwrap(thrown);
        ObjectNode error = Json.object();
        if (cause instanceof KflException kfl) {
            error.put("error", "the KFL filter does not compile: " + kfl.getMessage());
            ObjectNode position = error.putObject("kfl_error");
            position.put("message", kfl.getMessage());
            position.put("line", kfl.line());
            position.put("column", kfl.column());
            kfl.suggestion().ifPresentOrElse(name -> position.put("suggestion", name), () -> position.putNull("suggestion"));
            if (tool.equals("kfl_check")) {
                error.put("valid", false);
            }
            return failure(error);
        }
        if (cause instanceof ToolException refused) {
            error.put("error", refused.getMessage());
            refused.details().forEach((name, value) -> error.set(name, Json.value(value)));
            return failure(error);
        }
        if (cause instanceof SQLException sql) {
            // Trino's message names what it refused (a column, a type, a timeout); the SQL state says which kind.
            error.put("error", "Trino: " + sql.getMessage());
            return failure(error);
        }
        if (cause instanceof IllegalArgumentException || cause instanceof SnapshotException || cause instanceof java.nio.file.NoSuchFileException) {
            error.put("error", message(cause));
            return failure(error);
        }
        log.println("wirelake mcp: " + tool + " failed: " + cause);
        cause.printStackTrace(log);
        error.put("error", tool + " failed: " + message(cause));
        return failure(error);
    }

    private static Throwable unwrap(Throwable thrown)
    {
        Throwable cause = thrown;
        while ((cause instanceof java.util.concurrent.ExecutionException || cause instanceof java.lang.reflect.UndeclaredThrowableException
                || cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String message(Throwable cause)
    {
        if (cause instanceof java.nio.file.NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    static ObjectNode withDetails(ObjectNode node, Map<String, Object> details)
    {
        details.forEach((name, value) -> node.set(name, Json.value(value)));
        return node;
    }
}
