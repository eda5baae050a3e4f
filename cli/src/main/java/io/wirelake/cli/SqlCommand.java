package io.wirelake.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wirelake sql "SELECT ..."}: Trino SQL on the local Trino. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run Trino SQL on the local Trino. With --data DIR, api_calls and flows name that dissect output's tables."})
final class SqlCommand
        implements Callable<Integer>
{
    @Parameters(paramLabel = "SQL", description = "One SQL statement.")
    String sql;

    @Option(names = "--data", paramLabel = "DIR", description = "A dissect output directory to register and query as api_calls and flows.")
    Path data;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table (default), csv or jsonl.")
    String format;

    @Override
    public Integer call()
            throws Exception
    {
        try (Connection connection = LocalTrinoSession.connect(data); Statement statement = connection.createStatement()) {
            try (ResultSet results = statement.executeQuery(sql)) {
                ResultSetMetaData metadata = results.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int index = 1; index <= metadata.getColumnCount(); index++) {
                    columns.add(metadata.getColumnLabel(index));
                }
                ResultPrinter printer = new ResultPrinter(System.out, format, columns);
                while (results.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int index = 1; index <= columns.size(); index++) {
                        row.add(results.getObject(index));
                    }
                    printer.row(row);
                }
                printer.finish();
            }
        }
        return 0;
    }
}
