package io.wirelake.mcp;

import io.wirelake.catalog.snapshot.DissectionLauncher;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * A fake: the dissection job lives in the Flink module, which the MCP module does not depend on.
 * Enough for tests that list tools and never dissect; one that dissects fails loudly. The packaged
 * command's tests ({@code dist}) run real dissections through the server.
 */
public final class FakeDissectionLaunchers
        implements DissectionLaunchers
{
    @Override
    public List<String> protocols()
    {
        return List.of("http", "ws", "dns", "tls", "redis", "kafka", "amqp", "ldap", "radius", "diameter");
    }

    @Override
    public DissectionLauncher launcher(List<String> protocols, LongConsumer bytesRead)
    {
        throw new UnsupportedOperationException("the fake launcher does not dissect");
    }
}
