package io.wirelake.query;

import io.wirelake.catalog.LocalTrino;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * How the query layer reaches Trino: the embedded single-node Trino on loopback (started on first
 * use), or a Trino the operator runs, with the wirelake catalog installed there
 * ({@code wirelake catalog ddl} prints it). Sessions always run in UTC: timestamps are UTC in
 * the tables, and comparisons shift with the session's zone otherwise.
 */
public sealed interface TrinoAccess
{
    /** A ready connection for queries; may start the local Trino. */
    Connection connect()
            throws SQLException, IOException, InterruptedException;

    /** A ready connection for making the lake's tables and registering partitions (in {@link #ddlCatalog}). */
    Connection connectForDdl()
            throws SQLException, IOException, InterruptedException;

    /** The catalog that holds the lake's tables, as queries name them. */
    String catalog();

    /** The catalog the lake's tables are made in: the same tables as {@link #catalog}'s (on the local Trino, a catalog only its admin user may use). */
    String ddlCatalog();

    /** Whether it reads the local file system ({@code local://} locations: a dissect output, a local store). */
    boolean readsLocalFiles();

    /** The location under which it reads a local directory; only where {@link #readsLocalFiles}. */
    String localLocation(java.nio.file.Path directory)
            throws IOException;

    String description();

    /**
     * WIRELAKE_TRINO_URL ({@code http[s]://host:port}) names an existing Trino, with
     * WIRELAKE_TRINO_USER (default wirelake), WIRELAKE_TRINO_PASSWORD (over HTTPS only) and
     * WIRELAKE_TRINO_CATALOG (default wirelake); otherwise the local Trino.
     */
    static TrinoAccess fromEnvironment(Map<String, String> environment, Optional<String> url, Consumer<String> notices)
    {
        Optional<String> chosen = url.or(() -> Optional.ofNullable(environment.get("WIRELAKE_TRINO_URL"))).filter(value -> !value.isBlank());
        if (chosen.isPresent()) {
            return Remote.of(chosen.get(), environment.getOrDefault("WIRELAKE_TRINO_USER", "wirelake"),
                    Optional.ofNullable(environment.get("WIRELAKE_TRINO_PASSWORD")), environment.getOrDefault("WIRELAKE_TRINO_CATALOG", "wirelake"))
                    .withTrustStore(Optional.ofNullable(environment.get("WIRELAKE_TRINO_TRUSTSTORE")).filter(path -> !path.isBlank()),
                            Optional.ofNullable(environment.get("WIRELAKE_TRINO_TRUSTSTORE_PASSWORD")));
        }
        return new Local(LocalTrino.fromEnvironment(), notices);
    }

    /** The embedded Trino, started when a query needs it. */
    record Local(LocalTrino trino, Consumer<String> notices)
            implements TrinoAccess
    {
        public Local
        {
            requireNonNull(trino, "trino is null");
            requireNonNull(notices, "notices is null");
        }

        @Override
        public Connection connect()
                throws SQLException, IOException, InterruptedException
        {
            // Also restarts a running one whose settings do not fit the store (S3 endpoint, region, path style).
            trino.start(() -> notices.accept("starting the local Trino (stop it with: wirelake trino stop) ..."));
            return trino.connect();
        }

        @Override
        public Connection connectForDdl()
                throws SQLException, IOException, InterruptedException
        {
            connect().close();
            return trino.connectAsAdmin();
        }

        @Override
        public String catalog()
        {
            return LocalTrino.QUERY_CATALOG;
        }

        @Override
        public String ddlCatalog()
        {
            return LocalTrino.ADMIN_CATALOG;
        }

        @Override
        public boolean readsLocalFiles()
        {
            return true;
        }

        @Override
        public String localLocation(java.nio.file.Path directory)
                throws IOException
        {
            return trino.locationOf(directory);
        }

        @Override
        public String description()
        {
            return "the local Trino on 127.0.0.1:" + trino.port();
        }
    }

    /** A Trino the operator runs; the password travels only over HTTPS. */
    /**
     * @param trustStore a trust store (PKCS12 or JKS) with the certificate of a Trino whose certificate
     *        no public authority signed (WIRELAKE_TRINO_TRUSTSTORE, its password WIRELAKE_TRINO_TRUSTSTORE_PASSWORD);
     *        empty for the JVM's own
     */
    record Remote(URI uri, String user, Optional<String> password, String catalog, Optional<String> trustStore, Optional<String> trustStorePassword)
            implements TrinoAccess
    {
        public Remote
        {
            requireNonNull(uri, "uri is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
            requireNonNull(catalog, "catalog is null");
            requireNonNull(trustStore, "trustStore is null");
            requireNonNull(trustStorePassword, "trustStorePassword is null");
            if (trustStore.isPresent() && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("a trust store is for an https:// Trino URL, not " + uri);
            }
            if (password.isPresent() && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("a Trino password is sent over HTTPS only: use an https:// URL for " + uri.getHost());
            }
        }

        public static Remote of(String url, String user, Optional<String> password, String catalog)
        {
            URI uri = URI.create(url.strip());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("the Trino URL must be http[s]://host[:port], not " + url);
            }
            return new Remote(uri, user, password, catalog, Optional.empty(), Optional.empty());
        }

        public Remote withTrustStore(Optional<String> path, Optional<String> storePassword)
        {
            return new Remote(uri, user, password, catalog, path, storePassword);
        }

        @Override
        public Connection connect()
                throws SQLException
        {
            boolean tls = uri.getScheme().equals("https");
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            Properties properties = new Properties();
            properties.setProperty("user", user);
            properties.setProperty("timezone", "UTC");
            if (tls) {
                properties.setProperty("SSL", "true");
                trustStore.ifPresent(path -> properties.setProperty("SSLTrustStorePath", path));
                trustStorePassword.ifPresent(secret -> properties.setProperty("SSLTrustStorePassword", secret));
            }
            password.ifPresent(secret -> properties.setProperty("password", secret));
            return DriverManager.getConnection("jdbc:trino://" + uri.getHost() + ":" + port + "/" + catalog, properties);
        }

        @Override
        public Connection connectForDdl()
                throws SQLException
        {
            return connect();
        }

        @Override
        public String ddlCatalog()
        {
            return catalog;
        }

        @Override
        public boolean readsLocalFiles()
        {
            return false;
        }

        @Override
        public String localLocation(java.nio.file.Path directory)
        {
            throw new IllegalArgumentException(description() + " cannot read the local directory " + directory);
        }

        @Override
        public String description()
        {
            return "Trino at " + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + " (catalog " + catalog + ")";
        }

        @Override
        public String toString()
        {
            // The password never reaches a log line.
            return "Remote[" + description() + ", user=" + user + "]";
        }
    }
}
