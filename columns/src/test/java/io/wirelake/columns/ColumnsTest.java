package io.wirelake.columns;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnsTest
{
    private static final Pattern VARIABLE_ROW = Pattern.compile("^\\| `([a-z0-9_.]+)` \\| (string|int|bool|timestamp|bytes|map|\\[\\]string|map\\[string\\]string) \\|");
    private static final Pattern FLAG_CELL = Pattern.compile("`([a-z0-9_]+)`");

    @Test
    void everyReferenceVariableIsDeclaredWithItsType()
            throws IOException
    {
        Map<String, String> variables = referenceVariables();
        assertThat(variables).hasSizeGreaterThan(150);
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            Column column = Columns.byKflName(variable.getKey()).orElse(null);
            assertThat(column).as("KFL2 variable %s", variable.getKey()).isNotNull();
            assertThat(column.inReference()).as("%s is marked as from the reference", variable.getKey()).isTrue();
            assertThat(column.type()).as("type of %s", variable.getKey()).isEqualTo(expectedType(variable.getValue()));
        }
        long declaredFromReference = Columns.all().stream().filter(Column::inReference).count();
        assertThat(declaredFromReference).as("columns that claim to come from the reference").isEqualTo(variables.size());
    }

    @Test
    void everyProtocolFlagIsBoolean()
            throws IOException
    {
        String reference = Files.readString(SharedFiles.sharedDirectory().resolve("seed/kfl2-reference.md"));
        String flags = reference.substring(reference.indexOf("## Protocol Detection Flags"), reference.indexOf("## HTTP Variables"));
        int count = 0;
        for (String line : flags.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            for (int cell : new int[] {1, 3}) {
                Matcher matcher = FLAG_CELL.matcher(cells[cell]);
                if (matcher.find()) {
                    assertThat(Columns.byKflName(matcher.group(1))).as("flag %s", matcher.group(1))
                            .hasValueSatisfying(column -> assertThat(column.type()).isEqualTo(ColumnType.BOOL));
                    count++;
                }
            }
        }
        assertThat(count).isEqualTo(23);
    }

    @Test
    void schemasHaveOneFieldPerColumnWithoutNulls()
    {
        for (Table table : Table.values()) {
            Schema schema = TableSchema.of(table).avroSchema();
            assertThat(schema.getFields()).hasSize(Columns.of(table).size());
            for (Schema.Field field : schema.getFields()) {
                assertThat(field.schema().isNullable()).as(field.name()).isFalse();
            }
        }
        assertThat(TableSchema.of(Table.API_CALLS).avroSchema().getField("src_pod_namespace")).isNotNull();
        assertThat(TableSchema.of(Table.API_CALLS).avroSchema().getField("timestamp").schema().getLogicalType().getName())
                .isEqualTo("timestamp-micros");
        assertThat(TableSchema.of(Table.FLOWS).avroSchema().getField("conn_state")).isNotNull();
        assertThat(TableSchema.of(Table.API_CALLS).avroSchema().getField("conn_state")).isNull();
    }

    @Test
    void newRowsHoldTheDocumentedDefaults()
    {
        var row = TableSchema.of(Table.API_CALLS).newRow();
        assertThat(row.get("method")).isEqualTo("");
        assertThat(row.get("status_code")).isEqualTo(0L);
        assertThat(row.get("http")).isEqualTo(false);
        assertThat((Iterable<?>) row.get("dns_questions")).isEmpty();
        assertThat((Map<?, ?>) row.get("request_headers")).isEmpty();
    }

    @Test
    void checkedInFieldReferenceMatchesTheDeclarations()
            throws IOException
    {
        Path document = Path.of("..", "docs", "FIELDS.md");
        assertThat(Files.readString(document))
                .as("docs/FIELDS.md is stale: regenerate it with ./mvnw -q -pl columns exec:java")
                .isEqualTo(FieldReference.render());
    }

    private static Map<String, String> referenceVariables()
            throws IOException
    {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : Files.readAllLines(SharedFiles.sharedDirectory().resolve("seed/kfl2-reference.md"))) {
            Matcher matcher = VARIABLE_ROW.matcher(line);
            if (matcher.find()) {
                variables.put(matcher.group(1), matcher.group(2));
            }
            else if (line.startsWith("| `") && !line.contains("| Protocol |")) {
                // Protocol flag rows hold two flags per line and no type column.
                Matcher flag = FLAG_CELL.matcher(line);
                String[] cells = line.split("\\|");
                if (cells.length > 4 && !cells[2].trim().matches("string|int|bool.*")) {
                    for (int cell : new int[] {1, 3}) {
                        Matcher inCell = FLAG_CELL.matcher(cells[cell]);
                        if (inCell.find()) {
                            variables.put(inCell.group(1), "bool");
                        }
                    }
                }
            }
        }
        return variables;
    }

    private static ColumnType expectedType(String referenceType)
    {
        return switch (referenceType) {
            case "string" -> ColumnType.STRING;
            case "int" -> ColumnType.INT;
            case "bool" -> ColumnType.BOOL;
            case "timestamp" -> ColumnType.TIMESTAMP;
            case "bytes" -> ColumnType.BYTES;
            case "[]string" -> ColumnType.STRING_LIST;
            case "map", "map[string]string" -> ColumnType.STRING_MAP;
            default -> throw new IllegalArgumentException(referenceType);
        };
    }
}
