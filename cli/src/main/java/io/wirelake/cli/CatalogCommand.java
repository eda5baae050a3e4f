package io.wirelake.cli;

import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.query.LakeTables;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.S3Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code wirelake catalog ...}: what an existing Trino needs to serve the lake. */
@Command(name = "catalog", mixinStandardHelpOptions = true, description = "The lake's Trino catalog: what an operator installs on an existing Trino.",
        subcommands = CatalogCommand.Ddl.class)
final class CatalogCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "ddl", mixinStandardHelpOptions = true,
            description = {"Print the Trino catalog properties and the table DDL for the store (--store): install the properties as",
                    "etc/catalog/NAME.properties on every Trino node, run the statements once, then point wirelake at it with --trino URL.",
                    "S3 settings come from WIRELAKE_S3_ENDPOINT, WIRELAKE_S3_REGION, WIRELAKE_S3_PATH_STYLE; Trino's own credentials are its own."})
    static final class Ddl
            implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--catalog", paramLabel = "NAME", defaultValue = "wirelake",
                description = "The catalog's name on the Trino (default: ${DEFAULT-VALUE}, as the Helm chart and WIRELAKE_TRINO_CATALOG have it).")
        String catalog;

        @Override
        public Integer call()
                throws Exception
        {
            io.wirelake.store.Layout.checkName("catalog", catalog);
            try (ObjectStore store = Wirelake.openStore(spec)) {
                print(System.out, store, catalog, S3Settings.fromEnvironment(System.getenv()), new Snapshots(store));
            }
            return 0;
        }
    }

    static void print(PrintStream out, ObjectStore store, String catalog, S3Settings s3, Snapshots snapshots)
            throws Exception
    {
        LakeTables tables = new LakeTables(catalog);
        String schema = LakeTables.schemaForStore(store);
        out.printf("# etc/catalog/%s.properties on every Trino node (coordinator and workers), for the store %s%n", catalog, store.location());
        LakeTables.catalogProperties(store, s3).forEach(out::println);
        out.println();
        out.println("# etc/config.properties on every node: RE2 regular expressions, as CEL (and so KFL) has them");
        out.println("deprecated.regex-library=RE2J");
        out.println("# etc/jvm.config on every node");
        out.println("-Duser.timezone=UTC");
        out.println();
        out.println("-- The tables, once (wirelake also creates them on first use when its user may):");
        for (String statement : tables.createPartitioned(schema, LakeTables.tablesLocation(store))) {
            out.println(statement + ";");
        }
        out.println();
        out.println("-- Each dissected snapshot's partition (wirelake registers new ones itself after each dissection and on first query):");
        for (Snapshots.Summary summary : snapshots.list()) {
            if (summary.status().state().equals(SnapshotStatus.DISSECTED)) {
                for (String statement : tables.registerPartition(schema, summary.manifest().id())) {
                    out.println(statement + ";");
                }
            }
        }
    }
}
