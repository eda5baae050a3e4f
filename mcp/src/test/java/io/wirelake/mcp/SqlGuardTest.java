package io.wirelake.mcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** run_sql's read-only check, against statements Trino's grammar gives every shape of. */
class SqlGuardTest
{
    @Test
    void queriesPass()
    {
        for (String sql : new String[] {
                "SELECT 1",
                "select count(*) from api_calls where snapshot_id = 'incident'",
                "WITH errors AS (SELECT * FROM api_calls WHERE status_code >= 500) SELECT dst_service_name, count(*) FROM errors GROUP BY 1",
                "VALUES (1, 'a'), (2, 'b')",
                "TABLE flows",
                "SELECT 'DROP TABLE api_calls; DELETE FROM flows' AS harmless_text",
                "-- a comment that says DELETE FROM flows\nSELECT 1",
                "SELECT \"timestamp\" FROM api_calls /* INSERT INTO x */ ORDER BY 1 LIMIT 5",
                "SELECT x FROM (SELECT 1 AS x) UNION ALL SELECT 2",
                "SELECT element_at(request_headers, 'host') FROM api_calls WHERE regexp_like(path, '/[0-9]+')",
        }) {
            assertThatCode(() -> SqlGuard.requireReadOnlyQuery(sql)).as(sql).doesNotThrowAnyException();
        }
    }

    @Test
    void everythingElseIsRefusedWithWhatItIs()
    {
        refused("INSERT INTO api_calls SELECT * FROM api_calls", "INSERT");
        refused("DELETE FROM flows WHERE true", "DELETE");
        refused("DROP TABLE flows", "DROP TABLE");
        refused("CREATE TABLE copy AS SELECT * FROM api_calls", "CREATE TABLE AS SELECT");
        refused("CALL system.register_partition('wirelake', 'api_calls', ARRAY['snapshot_id'], ARRAY['x'])", "CALL");
        refused("SET SESSION query_max_run_time = '1h'", "SET SESSION");
        refused("EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE");
        refused("SHOW TABLES", "SHOW TABLES");
        refused("DESCRIBE api_calls", "SHOW COLUMNS");
        refused("ALTER TABLE flows RENAME TO gone", "RENAME TABLE");
        refused("UPDATE flows SET conn_state = 'x'", "UPDATE");
        refused("MERGE INTO flows f USING api_calls a ON f.id = a.id WHEN MATCHED THEN DELETE", "MERGE");
    }

    @Test
    void sessionSettingsAndTableFunctionsAreRefusedInsideQueries()
    {
        assertThatThrownBy(() -> SqlGuard.requireReadOnlyQuery("WITH SESSION query_max_run_time = '10h' SELECT count(*) FROM flows"))
                .isInstanceOf(ToolException.class).hasMessageContaining("WITH SESSION");
        assertThatThrownBy(() -> SqlGuard.requireReadOnlyQuery("SELECT * FROM TABLE(system.unload(input => TABLE(api_calls), location => '/tmp/x', format => 'ORC'))"))
                .isInstanceOf(ToolException.class).hasMessageContaining("table functions").hasMessageContaining("system.unload");
        assertThatThrownBy(() -> SqlGuard.requireReadOnlyQuery("SELECT * FROM (SELECT * FROM TABLE(exclude_columns(input => TABLE(flows), columns => DESCRIPTOR(id))))"))
                .isInstanceOf(ToolException.class).hasMessageContaining("exclude_columns");
    }

    @Test
    void twoStatementsOrBrokenSqlDoNotParse()
    {
        assertThatThrownBy(() -> SqlGuard.requireReadOnlyQuery("SELECT 1; DROP TABLE flows")).isInstanceOf(ToolException.class)
                .hasMessageContaining("does not parse").hasMessageContaining("line 1");
        assertThatThrownBy(() -> SqlGuard.requireReadOnlyQuery("SELEC 1")).isInstanceOf(ToolException.class).hasMessageContaining("does not parse");
        assertThatThrownBy(() -> SqlGuard.requireReadOnlyQuery("SELECT (((")).isInstanceOf(ToolException.class).hasMessageContaining("does not parse");
        assertThatThrownBy(() -> SqlGuard.requireReadOnlyQuery("SELECT 1" + " ".repeat(SqlGuard.MAXIMUM_LENGTH))).isInstanceOf(ToolException.class)
                .hasMessageContaining("at most");
    }

    private static void refused(String sql, String kind)
    {
        assertThatThrownBy(() -> SqlGuard.requireReadOnlyQuery(sql)).as(sql).isInstanceOf(ToolException.class)
                .hasMessageContaining("only queries").hasMessageContaining(kind);
    }
}
