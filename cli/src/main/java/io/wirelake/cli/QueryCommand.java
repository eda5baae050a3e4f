package io.wirelake.cli;

import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflException;
import io.wirelake.query.QueryService;
import io.wirelake.query.Selection;
import io.wirelake.query.TableSource;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake query (--data DIR | --snapshot NAME) --kfl EXPR}: KFL2 over the tables, on Trino or row by row with CEL. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run a KFL2 filter over a dissect output directory or dissected snapshots of the store: on Trino (compiled to SQL),",
                "or locally with CEL row by row over the Parquet files. Both engines return the same rows, in time order."})
final class QueryCommand
        implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "A dissect output directory (with api_calls/ and flows/).")
    Path data;

    @Option(names = "--snapshot", split = ",", paramLabel = "NAME", description = "Dissected snapshot(s) of the store.")
    List<String> snapshots;

    @Option(names = "--kfl", defaultValue = "", paramLabel = "EXPR", description = "The KFL2 filter (default: everything).")
    String kfl;

    @Option(names = "--table", paramLabel = "TABLE", description = "api_calls or flows (default: chosen by the filter's variables).")
    String table;

    @Option(names = "--engine", defaultValue = "trino", paramLabel = "ENGINE", description = "trino (default) or local (CEL row by row, no server).")
    String engine;

    @Option(names = "--columns", split = ",", paramLabel = "A,B",
            description = "Columns to show: KFL or SQL names, or src/dst (namespace/pod or service when known, else the IP).")
    List<String> columns;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "Rows to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table (default), csv or jsonl.")
    String format;

    @Override
    public Integer call()
            throws Exception
    {
        if ((data == null) == (snapshots == null)) {
            throw new IllegalArgumentException("give one of --data DIR or --snapshot NAME");
        }
        QueryService.Engine chosen = QueryService.Engine.of(engine);
        Optional<Table> requested = Optional.ofNullable(table).map(QueryCommand::table);
        CompiledFilter filter;
        try {
            filter = new KflCompiler().compile(kfl, requested, Instant.now());
        }
        catch (KflException e) {
            System.err.println("wirelake: " + e.getMessage());
            return 2;
        }
        List<String> shown = Selection.resolveColumns(filter.table(), columns);
        ResultPrinter printer = new ResultPrinter(System.out, format, shown);
        long started = System.nanoTime();
        long count;
        if (data != null) {
            count = Wirelake.queryService(spec).select(new Selection(TableSource.directory(data), filter, shown, limit), chosen, printer::row);
        }
        else {
            try (ObjectStore store = Wirelake.openStore(spec)) {
                count = Wirelake.queryService(spec).select(new Selection(TableSource.snapshots(store, snapshots), filter, shown, limit), chosen, printer::row);
            }
        }
        printer.finish();
        if (format.equals("table")) {
            System.err.printf(Locale.ROOT, "%d row(s) from %s in %.2f s (%s)%n", count, filter.table().sqlName(), (System.nanoTime() - started) / 1e9,
                    chosen.name().toLowerCase(Locale.ROOT));
        }
        return 0;
    }

    static Table table(String name)
    {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "api_calls" -> Table.API_CALLS;
            case "flows" -> Table.FLOWS;
            default -> throw new IllegalArgumentException("--table must be api_calls or flows");
        };
    }
}
