package io.wirelake.packets.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tshark, the reference dissector, and returns its field output. A tshark that fails (a
 * non-zero exit: a file it cannot read, a field or filter it does not know) or that complains
 * on standard error is an error here, never "no output": tests that compare with tshark must not
 * pass because tshark said nothing.
 */
public final class Tshark
{
    /** What tshark always prints to standard error when run as root (CI runs as root): not a complaint. */
    private static final String ROOT_WARNING = "Running as user \"root\" and group \"root\". This could be dangerous.";

    private Tshark() {}

    /** One list of values per frame, in the order of {@code fields}; multi-valued fields keep tshark's commas. */
    public static List<String[]> fields(Path capture, List<String> options, String... fields)
            throws IOException, InterruptedException
    {
        return rows(run(command(capture, options, fields)));
    }

    /**
     * A corpus capture's fields: as {@link #fields(Path, List, String...)}, except that a capture
     * the manifest knows to end in a corrupt record gives the frames before it, and must make
     * tshark say so (exit 2, "appears to be damaged or corrupt"): a damaged file that reads clean,
     * or a clean one that does not, fails.
     */
    public static List<String[]> fields(Corpus.Capture capture, List<String> options, String... fields)
            throws IOException, InterruptedException
    {
        if (!capture.damagedTail()) {
            return fields(capture.path(), options, fields);
        }
        List<String> command = command(capture.path(), options, fields);
        Result result = execute(command);
        if (result.exit() != 2 || !result.errors().contains("appears to be damaged or corrupt.")) {
            throw new IOException("tshark did not report the damage the manifest records (exit " + result.exit() + "): " + String.join(" ", command)
                    + "\n" + result.errors());
        }
        return rows(result.output());
    }

    /**
     * tshark's whole dissection as PDML (its XML tree of every field, with each field's value
     * ({@code show}) and display text ({@code showname}): names of enumerated values as
     * Wireshark spells them), for comparisons that need the tree's structure.
     */
    public static org.w3c.dom.Document pdml(Path capture, List<String> options)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-T", "pdml"));
        command.addAll(options);
        String xml = run(command);
        try {
            javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
        }
        catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("tshark's PDML does not parse", e);
        }
    }

    private static List<String> command(Path capture, List<String> options, String... fields)
    {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"));
        command.addAll(options);
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        return command;
    }

    private static List<String[]> rows(String output)
    {
        List<String[]> rows = new ArrayList<>();
        for (String line : output.split("\n", -1)) {
            if (!line.isEmpty()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    /** Runs a tshark command and returns its standard output; fails on a non-zero exit or on anything it says on standard error. */
    public static String run(List<String> command)
            throws IOException, InterruptedException
    {
        Result result = execute(command);
        if (result.exit() != 0 || !result.errors().isEmpty()) {
            throw new IOException("tshark failed (exit " + result.exit() + "): " + String.join(" ", command) + "\n" + result.errors());
        }
        return result.output();
    }

    private record Result(int exit, String output, String errors) {}

    private static Result execute(List<String> command)
            throws IOException, InterruptedException
    {
        Path output = Files.createTempFile("tshark", ".out");
        Path errors = Files.createTempFile("tshark", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("tshark timed out: " + command);
            }
            String complaints = Files.readString(errors, StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.equals(ROOT_WARNING))
                    .reduce("", (all, line) -> all + line + "\n");
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8), complaints);
        }
        finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }
}
