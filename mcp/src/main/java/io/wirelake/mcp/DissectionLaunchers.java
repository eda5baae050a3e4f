package io.wirelake.mcp;

import io.wirelake.catalog.snapshot.DissectionLauncher;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Makes the launcher a dissection started by a tool runs with. The server does not know the
 * dissection job (the command line plugs in its Flink launcher); it only asks for one per
 * dissection, limited to some protocols or not.
 */
public interface DissectionLaunchers
{
    /** The protocol names a dissection can be limited to (Kubeshark's {@code tap.enabledDissectors} names). */
    List<String> protocols();

    /**
     * @param protocols the protocols to detect; empty for all
     * @param bytesRead told the capture bytes read so far, for progress
     * @throws IllegalArgumentException for a protocol name not in {@link #protocols()}
     */
    DissectionLauncher launcher(List<String> protocols, LongConsumer bytesRead);
}
