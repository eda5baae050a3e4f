package io.wirelake.cli;

import io.wirelake.catalog.LocalTrino;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code wirelake trino start|stop|status}: the local single-node Trino. */
@Command(name = "trino", mixinStandardHelpOptions = true,
        description = {"Manage the local single-node Trino (loopback only; Maven Central's trino-server 476, run with a JDK 24+).",
                "Environment: WIRELAKE_HOME (default ~/.wirelake), WIRELAKE_TRINO_PORT (default 18080), WIRELAKE_TRINO_JAVA_HOME."},
        subcommands = {TrinoCommand.Start.class, TrinoCommand.Stop.class, TrinoCommand.Status.class})
final class TrinoCommand
        implements Runnable
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Install if needed, start, and wait until a query runs.")
    static final class Start
            implements Callable<Integer>
    {
        @Override
        public Integer call()
                throws Exception
        {
            LocalTrino trino = LocalTrino.fromEnvironment();
            if (trino.isReady() && trino.settingsMismatch().isEmpty()) {
                System.out.println("trino: already running at " + trino.httpsUrl());
                printConnection(trino);
                return 0;
            }
            System.err.println("trino: starting (the first start installs it; it takes up to a minute) ...");
            long start = System.nanoTime();
            trino.start();
            System.out.printf("trino: ready at %s after %.0f s%n", trino.httpsUrl(), (System.nanoTime() - start) / 1e9);
            printConnection(trino);
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the local Trino.")
    static final class Stop
            implements Callable<Integer>
    {
        @Override
        public Integer call()
                throws Exception
        {
            LocalTrino.fromEnvironment().stop();
            System.out.println("trino: stopped");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Whether the local Trino answers queries (exit 0) or not (exit 3).")
    static final class Status
            implements Callable<Integer>
    {
        @Override
        public Integer call()
        {
            LocalTrino trino = LocalTrino.fromEnvironment();
            if (trino.isReady()) {
                System.out.println("trino: running, answering queries at " + trino.httpsUrl());
                printConnection(trino);
                return 0;
            }
            System.out.println("trino: not running (start it with: wirelake trino start)");
            return 3;
        }
    }

    /** How another client connects: the server trusts passwords over TLS only, and the client trusts our certificate only. */
    static void printConnection(LocalTrino trino)
    {
        System.out.println("  user         " + trino.queryUser() + " (password: the \"password\" line of " + trino.credentialsFile() + ", readable by you only)");
        System.out.println("  certificate  " + trino.certificateFile() + " (self-signed: trust this file, nothing else)");
        System.out.println("  JDBC         " + trino.clientJdbcUrl());
        System.out.println("  trino CLI    trino --server " + trino.httpsUrl() + " --truststore-path " + trino.certificateFile() + " --user " + trino.queryUser()
                + " --password --catalog hive");
        System.out.println("  notebooks    notebooks/wirelake_trino.py finds all of this by itself (see notebooks/README.md)");
    }
}
