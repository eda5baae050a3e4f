package io.wirelake.dissect.protocol;

import java.util.BitSet;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** What every detector declares the same way: its protocol's name, its transport and its port hints. */
public abstract class PortHintedDetector
        implements ProtocolDetector
{
    private final String name;
    private final Transport transport;
    /** The hinted ports as bits: asked for every new flow's two ports, with no boxing and no hashing. */
    private final BitSet ports = new BitSet();

    protected PortHintedDetector(String name, Transport transport, Set<Integer> ports)
    {
        this.name = requireNonNull(name, "name is null");
        this.transport = requireNonNull(transport, "transport is null");
        requireNonNull(ports, "ports is null").forEach(port -> this.ports.set(port));
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
        return port >= 0 && ports.get(port);
    }
}
