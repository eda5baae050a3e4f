package io.wirelake.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code wirelake} command. */
@Command(name = "wirelake",
        mixinStandardHelpOptions = true,
        versionProvider = Wirelake.Version.class,
        description = "A lakehouse for Kubernetes network traffic: captures in, Parquet tables of API calls and flows out.",
        subcommands = {
                DissectCommand.class,
                GenerateCommand.class,
                QuickstartCommand.class,
                BenchCommand.class,
                KflCommand.class,
                QueryCommand.class,
                SqlCommand.class,
                TrinoCommand.class,
                CatalogCommand.class,
                ImportCommand.class,
                CollectorCommand.class,
                BoundariesCommand.class,
                SnapshotCommand.class,
                VerifyEvidenceCommand.class,
                ResolveCommand.class,
                StatsCommand.class,
                MapCommand.class,
                DiffCommand.class,
                ScheduleCommand.class,
                McpCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Wirelake
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--store", paramLabel = "DIR|s3://BUCKET/PREFIX", scope = CommandLine.ScopeType.INHERIT,
            description = "The object store: a directory (default: $WIRELAKE_STORE, else ~/.wirelake/store) or s3://bucket/prefix "
                    + "(endpoint, region and path style from WIRELAKE_S3_ENDPOINT, WIRELAKE_S3_REGION, WIRELAKE_S3_PATH_STYLE; credentials from the AWS chain).")
    String store;

    @CommandLine.Option(names = "--trino", paramLabel = "URL", scope = CommandLine.ScopeType.INHERIT,
            description = "An existing Trino with the wirelake catalog, http[s]://host:port (default: $WIRELAKE_TRINO_URL, else the local Trino, "
                    + "started when a query needs it). User and password from WIRELAKE_TRINO_USER and WIRELAKE_TRINO_PASSWORD.")
    String trino;

    /** The store of a (sub)command line: {@code --store} may come before or after the command. */
    static io.wirelake.store.ObjectStore openStore(CommandLine.Model.CommandSpec spec)
    {
        return openStore(((Wirelake) spec.root().userObject()).store);
    }

    /** The store the command line names, else the environment's, else the embedded default. */
    static io.wirelake.store.ObjectStore openStore(String location)
    {
        java.util.Map<String, String> environment = System.getenv();
        String chosen = location != null ? location
                : environment.getOrDefault("WIRELAKE_STORE", environment.getOrDefault("WIRELAKE_HOME", System.getProperty("user.home") + "/.wirelake") + "/store");
        return io.wirelake.store.ObjectStores.open(chosen, environment);
    }

    /** The query layer as the command line configures it: the Trino of --trino or the environment, notices on stderr. */
    static io.wirelake.query.QueryService queryService(CommandLine.Model.CommandSpec spec)
    {
        return new io.wirelake.query.QueryService(trinoAccess(spec));
    }

    static io.wirelake.query.TrinoAccess trinoAccess(CommandLine.Model.CommandSpec spec)
    {
        return io.wirelake.query.TrinoAccess.fromEnvironment(System.getenv(), java.util.Optional.ofNullable(((Wirelake) spec.root().userObject()).trino),
                notice -> System.err.println("wirelake: " + notice));
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] arguments)
    {
        int exit = execute(arguments, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        try {
            if (exit == 0) {
                // bin/wirelake asks for it on the first dissection with this Java and build
                ClassArchive.writeIfAsked(System.err);
            }
        }
        finally {
            System.exit(exit);
        }
    }

    /** Runs a command line; errors become one clear line on stderr and a non-zero exit code, never a stack trace. */
    public static int execute(String[] arguments, PrintWriter out, PrintWriter err)
    {
        CommandLine commandLine = new CommandLine(new Wirelake());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println("wirelake: " + message(exception));
            if (System.getenv("WIRELAKE_DEBUG") != null) {
                exception.printStackTrace(line.getErr());
            }
            return 1;
        });
        return commandLine.execute(arguments);
    }

    static String message(Throwable exception)
    {
        Throwable cause = exception;
        while (cause.getCause() != null && (cause.getMessage() == null || cause instanceof java.util.concurrent.ExecutionException
                || cause.getClass().getName().startsWith("org.apache.flink"))) {
            cause = cause.getCause();
        }
        if (cause instanceof java.nio.file.NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (cause instanceof java.nio.file.AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    /** This build's version and the git commit it was built from, as the build wrote them into version.properties. */
    static final class Version
            implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
                throws java.io.IOException
        {
            java.util.Properties properties = new java.util.Properties();
            try (java.io.InputStream input = Wirelake.class.getResourceAsStream("version.properties")) {
                if (input != null) {
                    properties.load(input);
                }
            }
            return new String[] {"wirelake " + properties.getProperty("version", "unknown") + " (commit " + properties.getProperty("commit", "unknown") + ")"};
        }
    }
}
