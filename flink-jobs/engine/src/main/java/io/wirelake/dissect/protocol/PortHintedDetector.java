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
        for (int port : requireNonNull(ports, "ports is null")) {
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException(name + " hints port " + port + ", not a port (0 to 65535)");
            }
            this.ports.set(port);
        }
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
