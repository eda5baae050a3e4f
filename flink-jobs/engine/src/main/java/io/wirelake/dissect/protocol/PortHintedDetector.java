package io.wirelake.dissect.protocol;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/** What every detector declares the same way: its protocol's name, its transport and its port hints. */
public abstract class PortHintedDetector
        implements ProtocolDetector
{
    private final String name;
    private final Transport transport;
    private final Set<Integer> ports;

    protected PortHintedDetector(String name, Transport transport, Set<Integer> ports)
    {
        this.name = requireNonNull(name, "name is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.ports = Set.copyOf(requireNonNull(ports, "ports is null"));
    }

    @Override
    public final String name()
    {
        return name;
    }

    @Override
    public final Transport transport()
    {
        return transport;
    }

    @Override
    public final boolean hintsPort(int port)
    {
        return ports.contains(port);
    }
}
