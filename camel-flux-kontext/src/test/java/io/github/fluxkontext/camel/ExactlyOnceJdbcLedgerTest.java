package io.github.fluxkontext.camel;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.github.fluxkontext.camel.ledger.JdbcSubmissionLedger;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import io.github.fluxkontext.camel.ledger.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The idempotency key with a {@link JdbcSubmissionLedger} on a real PostgreSQL ({@link TestPostgres}). */
class ExactlyOnceJdbcLedgerTest extends ExactlyOnceContract {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    private final List<String> tables = new ArrayList<>();

    @Override
    protected SubmissionLedger newLedger() {
        String table = TestPostgres.newTableName();
        tables.add(table);
        return new JdbcSubmissionLedger(POSTGRES.newDataSource(), table);
    }

    @AfterEach
    void dropTables() throws SQLException {
        POSTGRES.dropTables(tables);
    }
}
