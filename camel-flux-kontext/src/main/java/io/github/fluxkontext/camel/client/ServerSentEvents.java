package io.github.fluxkontext.camel.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Reads a {@code text/event-stream} answer as it arrives, on the I/O thread, without blocking: bytes
 * become lines, {@code data:} lines become events (one per blank line), comments ({@code : ping}) are
 * only signs of life. Each event's data goes to {@code onEvent}; the caller moves it off the I/O thread.
 * An answer that is not an event stream is reported to {@code onRefused} and not read.
 * <p>
 * Thousands of these wait at once, mostly idle between events, so a line or an event is buffered only
 * while it is incomplete: an idle stream holds no buffer.
 */
final class ServerSentEvents implements AsyncResponseConsumer<Void> {

    private static final int READ_CAPACITY = 64 * 1024;

    private static final int LINE_SIZE_HINT = 256;

    private final long maxEventBytes;
    private final Consumer<byte[]> onEvent;
    private final Consumer<String> onRefused;
    /** the line read so far; null between lines */
    private ByteArrayOutputStream line;
    /** the event's data so far; null between events */
    private ByteArrayOutputStream data;
    private FutureCallback<Void> resultCallback;
    private boolean refused;
    private boolean lastWasCarriageReturn;

    /**
     * @param maxEventBytes the largest event accepted (a bigger one breaks the stream)
     * @param onEvent       each event's data (the {@code data:} lines joined with newlines)
     * @param onRefused     called instead when the answer is not a usable event stream
     */
    ServerSentEvents(long maxEventBytes, Consumer<byte[]> onEvent, Consumer<String> onRefused) {
        this.maxEventBytes = maxEventBytes;
        this.onEvent = onEvent;
        this.onRefused = onRefused;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context, FutureCallback<Void> callback)
            throws HttpException, IOException {
        this.resultCallback = callback;
        String why = refusal(response, entity);
        if (why != null) {
            refused = true;
            onRefused.accept(why);
            callback.completed(null);
        } else if (entity == null) {
            callback.completed(null); // an empty stream: it ended at once
        }
    }

    /** Why this answer is no event stream to read, or null when it is one. */
    private static String refusal(HttpResponse response, EntityDetails entity) {
        int status = response.getCode();
        if (status < 200 || status >= 300) {
            return "HTTP " + status;
        }
        Header type = response.getFirstHeader("Content-Type");
        String contentType = entity != null && entity.getContentType() != null ? entity.getContentType()
                : type != null ? type.getValue() : null;
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return "HTTP " + status + " with Content-Type " + contentType + ", not text/event-stream";
        }
        return null;
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx: nothing to do
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        capacityChannel.update(READ_CAPACITY);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (refused) {
            src.position(src.limit()); // not read: the caller cancels the exchange
            return;
        }
        while (src.hasRemaining()) {
            byte b = src.get();
            if (b == '\n' && lastWasCarriageReturn) {
                lastWasCarriageReturn = false; // the \n of a \r\n
                continue;
            }
            lastWasCarriageReturn = b == '\r';
            if (b == '\n' || b == '\r') {
                endOfLine();
            } else {
                if (line == null) {
                    line = new ByteArrayOutputStream(LINE_SIZE_HINT);
                }
                line.write(b);
                if (line.size() > maxEventBytes) {
                    throw new IOException("A status stream line is longer than " + maxEventBytes + " bytes");
                }
            }
        }
    }

    private void endOfLine() throws IOException {
        byte[] bytes = line == null ? new byte[0] : line.toByteArray();
        line = null;
        if (bytes.length == 0) {
            byte[] event = data == null ? null : data.toByteArray();
            data = null;
            if (event != null && event.length > 0) {
                onEvent.accept(event);
            }
            return;
        }
        if (startsWith(bytes, "data:")) {
            int from = bytes.length > 5 && bytes[5] == ' ' ? 6 : 5;
            if (data == null) {
                data = new ByteArrayOutputStream(bytes.length - from);
            } else if (data.size() > 0) {
                data.write('\n');
            }
            data.write(bytes, from, bytes.length - from);
            if (data.size() > maxEventBytes) {
                throw new IOException("A status event is longer than " + maxEventBytes + " bytes");
            }
        }
        // comments (": ping"), event:, id: and retry: lines carry nothing fal's clients use
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        if (bytes.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        if (resultCallback != null) {
            resultCallback.completed(null);
        }
    }

    @Override
    public void failed(Exception cause) {
        if (resultCallback != null) {
            resultCallback.failed(cause);
        }
    }

    @Override
    public void releaseResources() {
        line = null;
        data = null;
    }
}
