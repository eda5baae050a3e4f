package io.wirelake.kfl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every KFL2 filter shown in the seed documents (../shared/seed). Shared (kfl-to-sql's test-jar)
 * with the distribution's tests, which run each on dissected data on both engines.
 */
public final class SeedFilters
{
    private static final Pattern REFERENCE_EXPRESSION = Pattern.compile("`((?:[a-z_.]+\\[\"[^\"]+\"\\])|(?:map_get\\([^`]+\\)))`");

    private SeedFilters() {}

    public static Path seed()
    {
        String configured = System.getProperty("wirelake.shared.dir");
        Path shared = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(shared.resolve("seed"))) {
            throw new IllegalStateException("../shared/seed is not at " + shared.toAbsolutePath() + "; set -Dwirelake.shared.dir");
        }
        return shared.resolve("seed");
    }

    /**
     * Filters in the code blocks of the KFL skill (except the blocks that list function
     * signatures) and of the RCA skill's filter sections; comments after {@code //} removed.
     */
    public static List<String> filters()
            throws IOException
    {
        Set<String> filters = new LinkedHashSet<>();
        collect(seed().resolve("kfl-skill.md"), heading -> !heading.contains("Functions"), filters);
        collect(seed().resolve("network-rca-skill.md"), heading -> heading.contains("Filter Patterns"), filters);
        return new ArrayList<>(filters);
    }

    /** Expressions the reference shows (map access, map_get): values, not filters. */
    public static List<String> referenceExpressions()
            throws IOException
    {
        Set<String> expressions = new LinkedHashSet<>();
        Matcher matcher = REFERENCE_EXPRESSION.matcher(Files.readString(seed().resolve("kfl2-reference.md")));
        while (matcher.find()) {
            expressions.add(matcher.group(1));
        }
        return new ArrayList<>(expressions);
    }

    private static void collect(Path document, java.util.function.Predicate<String> wantedHeading, Set<String> filters)
            throws IOException
    {
        String heading = "";
        boolean inBlock = false;
        boolean wanted = false;
        for (String line : Files.readAllLines(document)) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                wanted = inBlock && line.trim().equals("```") && wantedHeading.test(heading);
                continue;
            }
            if (!inBlock && line.startsWith("#")) {
                heading = line;
                continue;
            }
            if (inBlock && wanted) {
                String filter = line.replaceAll("\\s*//.*$", "").trim();
                if (!filter.isEmpty()) {
                    filters.add(filter);
                }
            }
        }
    }
}
