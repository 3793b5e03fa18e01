package io.github.fluxkontext.camel.ledger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The real PostgreSQL that the JDBC ledger tests run against, one per test JVM (stopped when all tests ran):
 * <ul>
 * <li>the server at {@value #URL_VARIABLE} (environment variable) or {@code -D}{@value #URL_PROPERTY}, if set,
 * e.g. {@code jdbc:postgresql://localhost:5432/test?user=test&password=test};</li>
 * <li>otherwise a PostgreSQL started from the binaries of the {@code io.zonky.test.postgres} artifact (Linux
 * x86-64 only: the one platform whose binaries of the pinned version resolve here; as root it runs them
 * under {@code unshare -U}, so PostgreSQL does not refuse root).</li>
 * </ul>
 * A server set by URL that cannot be queried fails the tests. When there is none and the embedded one does
 * not start, the tests are skipped with the reason, unless {@value #REQUIRED_VARIABLE}=required
 * (environment) or {@code -D}{@value #REQUIRED_PROPERTY}=true: then they fail. CI sets it ({@code .ci/run}), so
 * JDBC tests are never skipped silently there.
 */
public final class TestPostgres implements BeforeAllCallback, BeforeEachCallback {

    static final String URL_VARIABLE = "FLUX_KONTEXT_TEST_JDBC_URL";
    static final String URL_PROPERTY = "fluxKontext.test.jdbcUrl";
    static final String REQUIRED_VARIABLE = "FLUX_KONTEXT_TEST_POSTGRES";
    static final String REQUIRED_PROPERTY = "fluxKontext.test.postgresRequired";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestPostgres.class);

    private volatile Server server;
    private volatile String skipReason;

    @Override
    public void beforeAll(ExtensionContext context) {
        Server shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Server.class, type -> Server.start(),
                Server.class);
        if (shared.failure() != null) {
            String reason = "no PostgreSQL for the JDBC ledger tests: " + shared.failure();
            if (shared.configured()) {
                fail(reason, shared.cause());
            }
            if (required()) {
                fail(reason + " (" + REQUIRED_VARIABLE + "=required: failing rather than skipping)", shared.cause());
            }
            skipReason = reason + ". Set " + URL_VARIABLE + "=jdbc:postgresql://host:port/db?user=...&password=..."
                         + " to use a server of yours.";
            System.out.println("SKIPPED: " + skipReason);
        }
        server = shared;
    }

    /** Skips each test when there is no server (rather than the class, which the test reports would not count). */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            abort(skipReason);
        }
    }

    /** False when the tests are skipped. */
    public boolean isAvailable() {
        return skipReason == null;
    }

    /** A new DataSource on the server: each opens connections of its own, like another instance. */
    public DataSource newDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(server.url());
        return dataSource;
    }

    /** The server's JDBC URL (user and password in it), for a process of its own. */
    public String jdbcUrl() {
        return server.url();
    }

    /** Drops the tables, if the server is there; for a test's clean-up. */
    public void dropTables(Iterable<String> tables) throws SQLException {
        if (!isAvailable()) {
            return;
        }
        try (Connection connection = newDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    /** A table name no other test uses. */
    public static String newTableName() {
        return "ledger_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static boolean required() {
        return "required".equals(System.getenv(REQUIRED_VARIABLE)) || Boolean.getBoolean(REQUIRED_PROPERTY);
    }

    /** The server in use, or why there is none. Closed by JUnit once every test ran. */
    private record Server(String url, boolean configured, EmbeddedPostgres embedded, String failure, Throwable cause)
            implements AutoCloseable {

        static Server start() {
            String url = System.getProperty(URL_PROPERTY, System.getenv(URL_VARIABLE));
            if (url != null && !url.isBlank()) {
                return connect(url, null, URL_VARIABLE + " " + url.replaceAll("password=[^&]*", "password=***"));
            }
            EmbeddedPostgres embedded;
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (Exception | LinkageError e) {
                return new Server(null, false, null, "the embedded PostgreSQL did not start (" + e + ")", e);
            }
            return connect(embedded.getJdbcUrl("postgres", "postgres"), embedded, "embedded PostgreSQL");
        }

        private static Server connect(String url, EmbeddedPostgres embedded, String what) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet version = statement.executeQuery("SELECT version()")) {
                version.next();
                // in the test output, so that a CI log shows which server the JDBC tests ran against
                System.out.printf("JDBC ledger tests on %s: %s%n", what, version.getString(1));
                return new Server(url, embedded == null, embedded, null, null);
            } catch (SQLException e) {
                return new Server(null, embedded == null, embedded, "cannot query " + what + " (" + e.getMessage() + ")", e);
            }
        }

        @Override
        public void close() throws Exception {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
