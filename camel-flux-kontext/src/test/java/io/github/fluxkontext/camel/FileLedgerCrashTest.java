package io.github.fluxkontext.camel;

import java.nio.file.Path;
import java.util.Map;

import io.github.fluxkontext.camel.ledger.FileSubmissionLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CrashRedelivery} with a {@link FileSubmissionLedger}, configured by properties only. */
class FileLedgerCrashTest {

    @TempDir
    Path work;

    @Test
    void killedWhileJobsWaitAndRestartedItSubmitsEachKeyOnceAndDeliversItsImages() throws Exception {
        Path directory = work.resolve("ledger");
        FileSubmissionLedger reader = new FileSubmissionLedger(directory);

        CrashRedelivery.Figures figures = CrashRedelivery.run("file", work, Map.of(
                "camel.beans.ledger", "#class:" + FileSubmissionLedger.class.getName(),
                "camel.beans.ledger.directory", directory.toString()), reader::get);

        figures.print();
        figures.assertExactlyOnce();
    }
}
