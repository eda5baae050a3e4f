package io.wirelake.cli;

import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake kfl sql EXPR} and {@code wirelake kfl check EXPR}. */
@Command(name = "kfl", mixinStandardHelpOptions = true, description = "Validate KFL2 filters and show the Trino SQL they compile to.",
        subcommands = {KflCommand.Sql.class, KflCommand.Check.class})
final class KflCommand
        implements Runnable
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class FilterCommand
            implements Callable<Integer>
    {
        @Parameters(paramLabel = "EXPR", description = "A KFL2 filter, e.g. 'http && status_code >= 500'.")
        String kfl;

        @Option(names = "--table", paramLabel = "TABLE", description = "api_calls or flows (default: chosen by the filter's variables).")
        String table;

        CompiledFilter compile()
                throws KflException
        {
            Optional<Table> requested = Optional.ofNullable(table).map(name -> switch (name.toLowerCase(Locale.ROOT)) {
                case "api_calls" -> Table.API_CALLS;
                case "flows" -> Table.FLOWS;
                default -> throw new IllegalArgumentException("--table must be api_calls or flows");
            });
            return new KflCompiler().compile(kfl, requested, Instant.now());
        }
    }

    @Command(name = "sql", mixinStandardHelpOptions = true, description = "Print the Trino SQL a KFL2 filter compiles to.")
    static final class Sql
            extends FilterCommand
    {
        @Override
        public Integer call()
        {
            try {
                CompiledFilter filter = compile();
                System.out.println("SELECT * FROM " + filter.table().sqlName() + " WHERE " + filter.predicate());
                return 0;
            }
            catch (KflException e) {
                System.err.println("wirelake: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a KFL2 filter: exit 0 when it compiles, 2 with a positioned message when not.")
    static final class Check
            extends FilterCommand
    {
        @Override
        public Integer call()
        {
            try {
                CompiledFilter filter = compile();
                System.out.println("ok: filters " + filter.table().sqlName() + " on " + filter.columns().size() + " column(s)");
                return 0;
            }
            catch (KflException e) {
                System.err.println("wirelake: " + e.getMessage());
                return 2;
            }
        }
    }
}
