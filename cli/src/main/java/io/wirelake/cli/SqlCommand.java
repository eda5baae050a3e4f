package io.wirelake.cli;

import io.wirelake.query.LakeSession;
import io.wirelake.query.QueryService;
import io.wirelake.query.TableSource;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wirelake sql "SELECT ..."}: Trino SQL over the lake's tables. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run Trino SQL. With --data DIR, api_calls and flows name that dissect output's tables; with --snapshot NAME, the store's",
                "tables with those snapshots' partitions registered (filter on snapshot_id)."})
final class SqlCommand
        implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SQL", description = "One SQL statement.")
    String sql;

    @Option(names = "--data", paramLabel = "DIR", description = "A dissect output directory to register and query as api_calls and flows.")
    Path data;

    @Option(names = "--snapshot", split = ",", paramLabel = "NAME", description = "Dissected snapshot(s) of the store to register; api_calls and flows name the store's tables.")
    List<String> snapshots;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table (default), csv or jsonl.")
    String format;

    @Override
    public Integer call()
            throws Exception
    {
        if (data != null && snapshots != null) {
            throw new IllegalArgumentException("give at most one of --data DIR or --snapshot NAME");
        }
        QueryService service = Wirelake.queryService(spec);
        ResultPrinter[] printer = {null};
        LakeSession.RowSink sink = new LakeSession.RowSink()
        {
            @Override
            public void columns(List<String> names)
            {
                printer[0] = new ResultPrinter(System.out, format, names);
            }

            @Override
            public void row(List<Object> values)
            {
                printer[0].row(values);
            }
        };
        if (data != null) {
            try (LakeSession session = service.open(TableSource.directory(data))) {
                session.query(sql, sink);
            }
        }
        else if (snapshots != null) {
            try (ObjectStore store = Wirelake.openStore(spec); LakeSession session = service.open(TableSource.snapshots(store, snapshots))) {
                session.query(sql, sink);
            }
        }
        else {
            try (Connection connection = service.connect()) {
                LakeSession.query(connection, sql, sink);
            }
        }
        printer[0].finish();
        return 0;
    }
}
