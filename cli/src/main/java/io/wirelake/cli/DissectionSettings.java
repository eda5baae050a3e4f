package io.wirelake.cli;

import io.wirelake.store.dissection.DissectionSpec;

/**
 * How the command line asks for a dissection to be shaped: tasks and time slices per node.
 *
 * @param parallelism tasks; 0 for the launcher's default (one per core locally, the cluster's slots remotely)
 * @param slicesPerNode time slices of each node's captures (1: a node is one scan unit)
 */
record DissectionSettings(int parallelism, int slicesPerNode)
{
    static final DissectionSettings DEFAULTS = new DissectionSettings(0, 1);

    DissectionSettings
    {
        if (parallelism < 0) {
            throw new IllegalArgumentException("--parallelism cannot be negative");
        }
        if (slicesPerNode < 1) {
            throw new IllegalArgumentException("--slices must be at least 1");
        }
    }

    DissectionSpec apply(DissectionSpec spec)
    {
        return spec.withParallelism(parallelism).withSlicing(DissectionSpec.Slicing.perNode(slicesPerNode));
    }
}
