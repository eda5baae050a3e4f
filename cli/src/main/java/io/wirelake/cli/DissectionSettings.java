package io.wirelake.cli;

import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.store.dissection.DissectionSpec;

import java.util.List;

/**
 * How the command line asks for a dissection to be shaped: tasks and time slices per node.
 *
 * @param parallelism tasks; 0 for the launcher's default (one per core locally, the cluster's slots remotely)
 * @param slicesPerNode time slices of each node's captures (1: a node is one scan unit)
 * @param protocols the protocols to detect, by Kubeshark's dissector names (empty: all)
 */
record DissectionSettings(int parallelism, int slicesPerNode, List<String> protocols)
{
    static final DissectionSettings DEFAULTS = new DissectionSettings(0, 1);

    DissectionSettings(int parallelism, int slicesPerNode)
    {
        this(parallelism, slicesPerNode, List.of());
    }

    DissectionSettings
    {
        if (parallelism < 0) {
            throw new IllegalArgumentException("--parallelism cannot be negative");
        }
        if (slicesPerNode < 1) {
            throw new IllegalArgumentException("--slices must be at least 1");
        }
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
        // An unknown protocol is refused now, before a job starts.
        ProtocolRegistry.standard().only(protocols);
    }

    DissectionSpec apply(DissectionSpec spec)
    {
        return spec.withParallelism(parallelism).withSlicing(DissectionSpec.Slicing.perNode(slicesPerNode)).withProtocols(protocols);
    }
}
