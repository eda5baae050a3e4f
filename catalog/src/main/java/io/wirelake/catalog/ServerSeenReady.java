package io.wirelake.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * When the local Trino was last seen answering queries, as every process of its home knows it:
 * each {@code bin/wirelake} command is a process of its own, and without this each one asked the
 * server two queries (and opened a connection for them) before its own. The record names the server process it is
 * about (the launcher's pid and that process's start time, from {@code /proc}), so a server that
 * stopped, or was started again, is never taken for the one seen; where there is no {@code /proc}
 * nothing is shared and every process asks. The file sits in the home, which only its user reads.
 */
final class ServerSeenReady
{
    private final Path record;
    private final Path launcherPid;
    private final long memoryMillis;

    ServerSeenReady(Path home, long memory, TimeUnit unit)
    {
        this.record = home.resolve("data/wirelake-seen-ready");
        this.launcherPid = home.resolve("data/var/run/launcher.pid");
        this.memoryMillis = unit.toMillis(memory);
    }

    /** Whether the server running now is the one some process saw answer queries within the memory's span. */
    boolean recently()
    {
        String instance = instance();
        if (instance.isEmpty()) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
            if (lines.size() != 2 || !lines.get(0).equals(instance)) {
                return false;
            }
            long age = System.currentTimeMillis() - Long.parseLong(lines.get(1));
            return age >= 0 && age < memoryMillis;
        }
        catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * Records that the server process named (by {@link #instance}, read before the queries were
     * sent) answered queries now; nothing when it could not be named. Naming it before the queries
     * means a server started in between is never recorded for the one that answered.
     */
    void seen(String instance)
    {
        if (instance.isEmpty()) {
            return;
        }
        try {
            Path written = Files.createTempFile(record.getParent(), record.getFileName().toString(), ".partial");
            try {
                Files.writeString(written, instance + "\n" + System.currentTimeMillis() + "\n", StandardCharsets.UTF_8);
                Files.move(written, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            finally {
                Files.deleteIfExists(written);
            }
        }
        catch (IOException | RuntimeException unwritable) {
            // the next process asks the server itself
        }
    }

    /** Forgets what was seen: the server failed a query, or is stopping. */
    void forget()
    {
        try {
            Files.deleteIfExists(record);
        }
        catch (IOException ignored) {
            // a record of a server that is gone no longer names the running one
        }
    }

    /** The server process: the launcher's pid and the process's start time in clock ticks since boot; empty when there is none. */
    String instance()
    {
        try {
            String pid = Files.readString(launcherPid, StandardCharsets.US_ASCII).strip();
            Long.parseLong(pid);
            String stat = Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII);
            // the fields after the command name, which is in parentheses and may hold spaces; the start time is the 22nd of all
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return pid + " " + fields[22 - 3];
        }
        catch (IOException | RuntimeException none) {
            return "";
        }
    }
}
