package io.wirelake.columns;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One column, declared once: its KFL2 variable name, SQL name, type, section and one-line doc.
 * The SQL name is the KFL name with {@code .} replaced by {@code _}
 * ({@code src.pod.namespace} becomes {@code src_pod_namespace}).
 *
 * @param kflName the variable name in KFL2 filters
 * @param type the value type; the default value follows from it
 * @param section the group the column is documented under (for example {@code HTTP})
 * @param doc one line saying what the column holds
 * @param tables the tables the column belongs to
 * @param inReference whether the KFL2 reference declares the variable (false for wirelake's additions)
 * @param ordinal the column's position in {@link Columns#all()}, for array lookups on hot paths
 */
public record Column(String kflName, ColumnType type, String section, String doc, Set<Table> tables, boolean inReference, int ordinal)
{
    public Column
    {
        requireNonNull(kflName, "kflName is null");
        requireNonNull(type, "type is null");
        requireNonNull(section, "section is null");
        requireNonNull(doc, "doc is null");
        tables = Set.copyOf(requireNonNull(tables, "tables is null"));
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("column " + kflName + " belongs to no table");
        }
        if (!kflName.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
            throw new IllegalArgumentException("bad column name: " + kflName);
        }
    }

    /** The column name in Parquet, Avro and SQL. */
    public String sqlName()
    {
        return kflName.replace('.', '_');
    }

    public boolean in(Table table)
    {
        return tables.contains(table);
    }
}
