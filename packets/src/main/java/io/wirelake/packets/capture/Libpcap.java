package io.wirelake.packets.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Points pcap4j at the system's libpcap. Debian's runtime package ({@code libpcap0.8}) installs
 * {@code libpcap.so.0.8} but not the {@code libpcap.so} link JNA looks for by default (that comes
 * with the -dev package), so the versioned file is named explicitly when the plain one is absent.
 * {@code -Dorg.pcap4j.core.pcapLibName=...} overrides the search.
 */
public final class Libpcap
{
    private static final String PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final List<String> DIRECTORIES = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu");

    private Libpcap() {}

    public static synchronized void configure()
    {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        for (String directory : DIRECTORIES) {
            for (String name : List.of("libpcap.so", "libpcap.so.1", "libpcap.so.0.8")) {
                Path library = Path.of(directory, name);
                if (Files.exists(library)) {
                    System.setProperty(PROPERTY, library.toString());
                    return;
                }
            }
        }
    }
}
