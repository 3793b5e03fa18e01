package io.github.fluxkontext.camel;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.ledger.JdbcSubmissionLedger;
import io.github.fluxkontext.camel.ledger.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link CrashRedelivery} with a {@link JdbcSubmissionLedger} on a real PostgreSQL ({@link TestPostgres}), which
 * runs apart from the application and so survives its kill; DataSource and ledger configured by properties only.
 */
class JdbcLedgerCrashTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    Path work;

    private final String table = TestPostgres.newTableName();

    @AfterEach
    void dropTable() throws SQLException {
        POSTGRES.dropTables(List.of(table));
    }

    @Test
    void killedWhileJobsWaitAndRestartedItSubmitsEachKeyOnceAndDeliversItsImages() throws Exception {
        JdbcSubmissionLedger reader = new JdbcSubmissionLedger(POSTGRES.newDataSource(), table);

        CrashRedelivery.Figures figures = CrashRedelivery.run("JDBC (PostgreSQL)", work, Map.of(
                "camel.beans.ledgerDataSource", "#class:" + PGSimpleDataSource.class.getName(),
                "camel.beans.ledgerDataSource.url", POSTGRES.jdbcUrl(),
                "camel.beans.ledger", "#class:" + JdbcSubmissionLedger.class.getName(),
                "camel.beans.ledger.dataSource", "#ledgerDataSource",
                "camel.beans.ledger.tableName", table), reader::get);

        figures.print();
        figures.assertExactlyOnce();
    }
}
