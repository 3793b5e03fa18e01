package io.github.fluxkontext.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not fal: a caller that streams a chunked request body far over what a webhook accepts, for the tests that show a
 * webhook consumer stops reading at its limit. The request head is the test's; this writes the body.
 */
public final class ChunkedBodyWriter {

    private ChunkedBodyWriter() {
    }

    /**
     * Writes 8 KB chunks until size bytes are written or the server closes the connection (what a refused sender
     * sees: it cannot go on), counting the bytes written in written.
     */
    public static void write(OutputStream out, long size, AtomicLong written) {
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) 'x');
        byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\r\n".getBytes(StandardCharsets.US_ASCII);
        try {
            while (written.get() < size) {
                out.write(head);
                out.write(chunk);
                out.write(tail);
                written.addAndGet(chunk.length);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closedByTheServer) {
            // the server refused the rest: what the test looks at is how much was written by then
        }
    }
}
