package io.wirelake.kfl;

import dev.cel.common.CelAbstractSyntaxTree;
import io.wirelake.columns.Column;
import io.wirelake.columns.Table;

import java.time.Instant;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A checked KFL2 filter: the table it addresses, its Trino predicate, the columns it reads, and
 * the instant {@code now()} stands for.
 */
public record CompiledFilter(String kfl, Table table, String predicate, Set<Column> columns, Instant now, CelAbstractSyntaxTree ast)
{
    public CompiledFilter
    {
        requireNonNull(kfl, "kfl is null");
        requireNonNull(table, "table is null");
        requireNonNull(predicate, "predicate is null");
        columns = Set.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(now, "now is null");
    }
}
