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
                ImportCommand.class,
                CollectorCommand.class,
                BoundariesCommand.class,
                SnapshotCommand.class,
                VerifyEvidenceCommand.class,
                ResolveCommand.class,
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

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] arguments)
    {
        System.exit(execute(arguments, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
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

    static final class Version
            implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            String version = Wirelake.class.getPackage().getImplementationVersion();
            return new String[] {"wirelake " + (version != null ? version : "0.1.0-SNAPSHOT")};
        }
    }
}
