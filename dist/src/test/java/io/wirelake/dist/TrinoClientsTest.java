package io.wirelake.dist;

import io.wirelake.catalog.LocalTrino;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@code trino start} and {@code trino status} print is enough for another client: Trino's
 * own JDBC driver connects with the printed URL, user and credentials file, and Trino's own CLI
 * (the executable jar of Maven Central, the one a user downloads) runs a query with the printed
 * command line. The same URL without the printed certificate, or a wrong password, is refused.
 */
class TrinoClientsTest
{
    private static final Pattern JDBC = Pattern.compile("(?m)^  JDBC +(\\S+)$");
    private static final Pattern USER = Pattern.compile("(?m)^  user +(\\S+) \\(password: the \"password\" line of (\\S+), readable by you only\\)$");
    private static final Pattern CLI = Pattern.compile("(?m)^  trino CLI +trino (.+)$");

    private static Path work;
    private static Map<String, String> environment;
    private static Distribution.Run status;

    @BeforeAll
    static void startTrino()
            throws Exception
    {
        work = Files.createDirectories(Path.of("target", "trino-clients").toAbsolutePath());
        environment = Distribution.trino();
        Distribution.Run start = Distribution.run(work, environment, "trino", "start");
        assertThat(start.exit()).as(start.both()).isZero();
        status = Distribution.run(work, environment, "trino", "status");
        assertThat(status.exit()).as(status.both()).isZero();
        assertThat(start.out()).contains(group(JDBC, status.out(), 1)).contains(group(CLI, status.out(), 1));
    }

    @Test
    void theJdbcDriverConnectsWithWhatIsPrinted()
            throws Exception
    {
        String url = group(JDBC, status.out(), 1);
        String user = group(USER, status.out(), 1);
        String password = password(Path.of(group(USER, status.out(), 2)));
        try (Connection connection = connect(url, user, password);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_user, current_catalog")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("wirelake");
            assertThat(result.getString(2)).isEqualTo("hive");
        }
        // Without the printed certificate, the JVM's trust store does not know the server: no password is sent.
        String withoutCertificate = url.replaceAll("&SSLTrustStorePath=[^&]*", "");
        // (Trino's driver connects lazily: the refusal comes with the first query.)
        assertThatThrownBy(() -> selectOne(withoutCertificate, user, password)).isInstanceOf(SQLException.class)
                .hasStackTraceContaining("PKIX path building failed");
        assertThatThrownBy(() -> selectOne(url, user, password + "x")).isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication failed");
    }

    @Test
    void trinosOwnCliRunsAQueryWithThePrintedCommandLine()
            throws Exception
    {
        Path cli = Path.of(System.getProperty("maven.repo.local", Path.of(System.getProperty("user.home"), ".m2", "repository").toString()),
                "io", "trino", "trino-cli", "476", "trino-cli-476-executable.jar");
        assertThat(cli).as("Trino's CLI from Maven Central (.ci/run fetches io.trino:trino-cli:476:jar:executable)").isRegularFile();
        String password = password(Path.of(group(USER, status.out(), 2)));
        Path java = new LocalTrino(Path.of(environment.get("WIRELAKE_HOME"), "trino"), Integer.parseInt(environment.get("WIRELAKE_TRINO_PORT")), Optional.empty())
                .detectJava().resolve("bin/java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-jar", cli.toString()));
        command.addAll(List.of(group(CLI, status.out(), 1).split(" ")));
        command.addAll(List.of("--execute", "SELECT current_user || ' in ' || current_catalog", "--output-format", "TSV"));
        Map<String, String> cliEnvironment = new HashMap<>();
        // The CLI's --password reads TRINO_PASSWORD when it is set, instead of prompting.
        cliEnvironment.put("TRINO_PASSWORD", password);
        Distribution.Run run = Distribution.exec(work, cliEnvironment, command);
        assertThat(run.exit()).as(run.both()).isZero();
        assertThat(run.out().strip()).isEqualTo("wirelake in hive");
    }

    private static Connection connect(String url, String user, String password)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(url, properties);
    }

    private static void selectOne(String url, String user, String password)
            throws SQLException
    {
        try (Connection connection = connect(url, user, password);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT 1")) {
            result.next();
        }
    }

    private static String password(Path credentials)
            throws Exception
    {
        assertThat(Files.getPosixFilePermissions(credentials)).as("the credentials file is the user's alone")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(credentials)) {
            properties.load(reader);
        }
        return properties.getProperty("password");
    }

    private static String group(Pattern pattern, String text, int group)
    {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in:\n%s", pattern, text).isTrue();
        return matcher.group(group);
    }
}
