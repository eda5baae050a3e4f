package io.wirelake.columns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders {@code docs/FIELDS.md}, the field reference of both tables, from the column declarations.
 * Run {@code main} with the output path to regenerate it; a test fails when the checked-in file
 * differs from what the declarations produce.
 */
public final class FieldReference
{
    private FieldReference() {}

    public static String render()
    {
        StringBuilder out = new StringBuilder();
        out.append("# Field reference\n\n");
        out.append("Generated from `columns/src/main/java/io/wirelake/columns/Columns.java` by `FieldReference`; do not edit by hand.\n\n");
        out.append("Every column is a KFL2 variable. The SQL (Parquet, Trino) name is the KFL name with `.` replaced by `_`. ");
        out.append("Columns are never NULL: a value the dissector did not fill holds the type's default ");
        out.append("(`\"\"`, `0`, `false`, `[]`, `{}`), so KFL and SQL see the same thing. Timestamps are UTC microseconds. ");
        out.append("*wirelake* in the last column marks additions to the KFL2 reference.\n\n");
        out.append("| tables | count |\n|---|---|\n");
        for (Table table : Table.values()) {
            out.append("| `").append(table.sqlName()).append("` | ").append(Columns.of(table).size()).append(" |\n");
        }
        String section = null;
        for (Column column : Columns.all()) {
            if (!column.section().equals(section)) {
                section = column.section();
                out.append("\n## ").append(section).append("\n\n");
                out.append("| KFL name | SQL name | type | default | tables | description | origin |\n");
                out.append("|---|---|---|---|---|---|---|\n");
            }
            out.append("| `").append(column.kflName()).append("` | `").append(column.sqlName()).append("` | ")
                    .append(column.type().celName()).append(" | `").append(column.type().defaultDisplay()).append("` | ")
                    .append(tables(column)).append(" | ").append(column.doc().replace("|", "\\|")).append(" | ")
                    .append(column.inReference() ? "KFL2" : "wirelake").append(" |\n");
        }
        return out.toString();
    }

    private static String tables(Column column)
    {
        List<String> names = java.util.Arrays.stream(Table.values()).filter(column::in).map(Table::sqlName).toList();
        return String.join(", ", names);
    }

    public static void main(String[] arguments)
            throws IOException
    {
        if (arguments.length != 1) {
            System.err.println("usage: FieldReference OUTPUT.md");
            System.exit(2);
        }
        Files.writeString(Path.of(arguments[0]), render(), StandardCharsets.UTF_8);
    }
}
