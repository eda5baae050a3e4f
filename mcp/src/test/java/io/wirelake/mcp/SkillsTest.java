package io.wirelake.mcp;

import io.wirelake.catalog.evidence.Evidence;
import io.wirelake.catalog.evidence.EvidenceSettings;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflException;
import io.wirelake.query.QueryService;
import io.wirelake.query.TrinoAccess;
import io.wirelake.store.LocalObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The skills say only what is true of wirelake: every tool they name is a tool of the server (the
 * write tools included), every KFL filter they show compiles, every SQL query they show is one
 * read-only query. (The packaged command's tests also run every SQL example on Trino and follow
 * the network-rca skill to the demo's planted root cause.)
 */
class SkillsTest
{
    private static final List<String> EXPECTED = List.of("api-security", "drift", "evidence", "incident-response", "kfl", "network-rca");

    @TempDir
    static Path temporary;

    private static Skills skills;
    private static WirelakeMcpServer server;

    @BeforeAll
    static void readSkillsAndListTools()
            throws Exception
    {
        skills = Skills.read(Skills.directory());
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("store"));
        Evidence evidence = new Evidence(store, new EvidenceSettings(temporary.resolve("keys/seal.pem"), Optional.empty(), Optional.empty(), "tester@lab"));
        // Never contacted: listing tools starts no query.
        QueryService queries = new QueryService(TrinoAccess.fromEnvironment(Map.of("WIRELAKE_TRINO_URL", "http://127.0.0.1:9"), Optional.empty(), notice -> {}));
        server = new WirelakeMcpServer(new Lake(evidence, queries, temporary.resolve("work")), new FakeDissectionLaunchers(),
                new McpSettings(true, temporary.resolve("exports")), System.err, false);
    }

    @Test
    void theSkillsAreThereInKubesharksFormat()
    {
        assertThat(skills.skills()).extracting(Skills.Skill::directory).containsExactlyElementsOf(EXPECTED);
        for (Skills.Skill skill : skills.skills()) {
            assertThat(skill.name()).as("front matter name of %s", skill.directory()).isEqualTo(skill.directory());
            assertThat(skill.description()).as("description of %s", skill.directory()).hasSizeGreaterThan(200);
            assertThat(skill.text()).as("%s has a setup reference", skill.directory()).contains("## Setup reference").contains("wirelake mcp");
            assertThat(skill.text().lines().count()).as("%s stays under 500 lines", skill.directory()).isLessThan(500);
        }
    }

    @Test
    void everyToolASkillNamesIsAToolOfTheServer()
    {
        Set<String> arguments = server.argumentNames();
        for (Skills.Skill skill : skills.skills()) {
            List<String> named = skill.toolLikeNames().stream().filter(name -> !arguments.contains(name)).toList();
            assertThat(server.toolNames()).as("tools named by %s", skill.directory()).containsAll(named);
            if (!skill.directory().equals("kfl")) {
                assertThat(named).as("%s names the tools it uses", skill.directory()).hasSizeGreaterThan(3);
            }
        }
    }

    @Test
    void everyKflExampleCompiles()
    {
        List<String> failures = new ArrayList<>();
        int examples = 0;
        for (Skills.Skill skill : skills.skills()) {
            for (String kfl : skill.kflExamples()) {
                examples++;
                try {
                    new KflCompiler().compile(kfl, Instant.parse("2026-03-14T22:00:00Z"));
                }
                catch (KflException e) {
                    failures.add(skill.directory() + ": " + kfl + "\n    " + e.getMessage().replace("\n", "\n    "));
                }
            }
        }
        assertThat(failures).as("KFL examples that do not compile").isEmpty();
        assertThat(examples).isGreaterThan(100);
    }

    @Test
    void everySqlExampleIsOneReadOnlyQuery()
    {
        int examples = 0;
        for (Skills.Skill skill : skills.skills()) {
            for (String sql : skill.sqlExamples()) {
                SqlGuard.requireReadOnlyQuery(sql);
                examples++;
            }
        }
        assertThat(examples).isGreaterThan(10);
    }

    @Test
    void theDeliberateErrorExampleIsOne()
    {
        // The kfl skill shows kfl_check's answer to a misspelt filter: the compiler gives that answer.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KflCompiler().compile("htpp && status_code >= 500", Instant.now()))
                .isInstanceOfSatisfying(KflException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(1);
                    assertThat(e.suggestion()).contains("http");
                });
        assertThat(skills.skills().stream().filter(skill -> skill.directory().equals("kfl")).findFirst().orElseThrow().text())
                .contains("\"suggestion\": \"http\"");
    }
}
