package io.github.fluxkontext.camel;

import java.nio.file.Path;

import io.github.fluxkontext.camel.ledger.FileSubmissionLedger;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import org.junit.jupiter.api.io.TempDir;

/** The idempotency key with a {@link FileSubmissionLedger}. */
class ExactlyOnceFileLedgerTest extends ExactlyOnceContract {

    @TempDir
    Path directory;

    @Override
    protected SubmissionLedger newLedger() {
        return new FileSubmissionLedger(directory.resolve("ledger"));
    }
}
