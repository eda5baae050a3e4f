package io.wirelake.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The skills in {@code skills/<name>/SKILL.md}, read as an agent reads them: the front matter, the
 * tools named (`snake_case` words with a tool's verb), the KFL examples (every line of a
 * {@code kfl} code block, and the {@code "kfl"} values of {@code json} blocks except those marked
 * {@code json kfl-error}, which show an error on purpose) and the SQL examples ({@code sql} blocks).
 */
public record Skills(List<Skill> skills)
{
    private static final Pattern FENCE = Pattern.compile("(?m)^```([a-z0-9 -]*)\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern TOOL = Pattern.compile("`((?:get|list|create|start|export|diff|run|kfl|delete|upload|download|check|resolve|stop|enable|disable)_[a-z0-9_]+)`");
    private static final Pattern JSON_KFL = Pattern.compile("\"kfl\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Skill(String directory, String name, String description, String text)
    {
        public Skill
        {
            requireNonNull(directory, "directory is null");
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            requireNonNull(text, "text is null");
        }

        /** The backticked names that have a tool's shape. */
        public List<String> toolLikeNames()
        {
            List<String> names = new ArrayList<>();
            Matcher matcher = TOOL.matcher(text);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names.stream().distinct().toList();
        }

        /** Every code block's text by its info string, in order. */
        public List<Map.Entry<String, String>> blocks()
        {
            List<Map.Entry<String, String>> blocks = new ArrayList<>();
            Matcher matcher = FENCE.matcher(text);
            while (matcher.find()) {
                blocks.add(Map.entry(matcher.group(1).strip(), matcher.group(2)));
            }
            return blocks;
        }

        public List<String> kflExamples()
        {
            List<String> filters = new ArrayList<>();
            for (Map.Entry<String, String> block : blocks()) {
                if (block.getKey().equals("kfl")) {
                    for (String line : block.getValue().split("\n")) {
                        String filter = line.replaceFirst("\\s*//.*$", "").strip();
                        if (!filter.isEmpty()) {
                            filters.add(filter);
                        }
                    }
                }
                else if (block.getKey().equals("json")) {
                    Matcher matcher = JSON_KFL.matcher(block.getValue());
                    while (matcher.find()) {
                        filters.add(matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
                    }
                }
            }
            return filters;
        }

        public List<String> sqlExamples()
        {
            return blocks().stream().filter(block -> block.getKey().equals("sql")).map(block -> block.getValue().strip()).toList();
        }
    }

    /** Reads every skill under the directory (the repository's {@code skills/}). */
    public static Skills read(Path directory)
            throws IOException
    {
        List<Skill> skills = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path skillDirectory : entries.filter(Files::isDirectory).sorted().toList()) {
                Path file = skillDirectory.resolve("SKILL.md");
                String text = Files.readString(file);
                Map<String, String> frontMatter = frontMatter(text, file);
                skills.add(new Skill(skillDirectory.getFileName().toString(), frontMatter.getOrDefault("name", ""), frontMatter.getOrDefault("description", ""), text));
            }
        }
        return new Skills(skills);
    }

    /** The YAML front matter's top-level keys (a folded {@code >} value joined into one line). */
    static Map<String, String> frontMatter(String text, Path file)
    {
        if (!text.startsWith("---\n")) {
            throw new UncheckedIOException(new IOException(file + " does not start with YAML front matter (---)"));
        }
        int end = text.indexOf("\n---\n", 4);
        if (end < 0) {
            throw new UncheckedIOException(new IOException(file + ": the front matter does not end with ---"));
        }
        Map<String, String> values = new TreeMap<>();
        String key = null;
        StringBuilder value = new StringBuilder();
        for (String line : text.substring(4, end).split("\n")) {
            Matcher entry = Pattern.compile("^([a-z_]+):\\s*(.*)$").matcher(line);
            if (entry.matches()) {
                if (key != null) {
                    values.put(key, value.toString().strip());
                }
                key = entry.group(1);
                value.setLength(0);
                String inline = entry.group(2).strip();
                if (!inline.equals(">") && !inline.equals("|")) {
                    value.append(inline);
                }
            }
            else if (key != null && line.startsWith(" ")) {
                value.append(value.isEmpty() ? "" : " ").append(line.strip());
            }
            else if (!line.isBlank()) {
                throw new UncheckedIOException(new IOException(file + ": front matter line not understood: " + line));
            }
        }
        if (key != null) {
            values.put(key, value.toString().strip());
        }
        return values;
    }

    public static Path directory()
    {
        return Path.of(System.getProperty("wirelake.root.dir", "..")).resolve("skills");
    }
}
