package io.github.fluxkontext.simulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP connection of one open event stream. Its exchange outlives the handler that opened it
 * (the JDK server allows that): events are written later, from the stream pool. It ends cleanly
 * ({@link #finish()}: the last chunk is sent) or abruptly ({@link #abort()}: the connection is
 * closed in the middle of the body, as when a server or a proxy dies).
 */
final class StreamConnection {

    private final HttpExchange exchange;
    private final CuttableOutputStream out;

    private StreamConnection(HttpExchange exchange, CuttableOutputStream out) {
        this.exchange = exchange;
        this.out = out;
    }

    /** Sends the headers (the response headers must be set already); the body is chunked. */
    static StreamConnection open(HttpExchange exchange, int status) throws IOException {
        // Installed before the headers go out, so that closing the exchange goes through it.
        CuttableOutputStream out = new CuttableOutputStream(exchange.getResponseBody());
        exchange.setStreams(null, out);
        exchange.sendResponseHeaders(status, 0);
        return new StreamConnection(exchange, out);
    }

    /** Writes and flushes; callers serialise their writes. */
    void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends the body as HTTP says (last chunk); the connection may be reused. */
    void finish() {
        exchange.close();
    }

    /** Closes the connection with the body unfinished. */
    void abort() {
        out.cut = true;
        exchange.close();
    }

    /**
     * Once cut, closing fails instead of writing the last chunk; the JDK server then closes the
     * connection itself (ExchangeImpl.close does so when closing the body stream throws).
     */
    private static final class CuttableOutputStream extends FilterOutputStream {
        private volatile boolean cut;

        CuttableOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len); // FilterOutputStream would write byte by byte
        }

        @Override
        public void close() throws IOException {
            if (cut) {
                throw new IOException("Event stream cut off on purpose");
            }
            super.close();
        }
    }
}
