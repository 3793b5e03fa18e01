package io.github.fluxkontext.camel.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentTooLongException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Collects an answer body in memory but never more than {@code maxBytes}: a server that sends too
 * much (or announces too much) fails the call with a clear error instead of exhausting the heap.
 */
final class BoundedResponseConsumer extends AbstractBinResponseConsumer<FalResponse> {

    private final long maxBytes;
    private HttpResponse response;
    private ContentType contentType;
    private ByteArrayOutputStream buffer;

    BoundedResponseConsumer(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) throws IOException {
        Header length = response.getFirstHeader("Content-Length");
        if (length != null) {
            long announced = parseLength(length.getValue());
            if (announced > maxBytes) {
                throw new ContentTooLongException("The answer announces " + announced + " bytes, more than the limit of "
                                                  + maxBytes + " bytes (option maxDownloadSize)");
            }
        }
        this.response = response;
        this.contentType = contentType;
        this.buffer = new ByteArrayOutputStream(8192);
    }

    @Override
    protected int capacityIncrement() {
        return 64 * 1024;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
        int n = src.remaining();
        if (buffer.size() + (long) n > maxBytes) {
            throw new ContentTooLongException("The answer exceeds the limit of " + maxBytes + " bytes (option maxDownloadSize)");
        }
        byte[] chunk = new byte[n];
        src.get(chunk);
        buffer.write(chunk);
    }

    @Override
    protected FalResponse buildResult() {
        Map<String, String> headers = new HashMap<>();
        for (Header header : response.getHeaders()) {
            headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
        }
        byte[] body = buffer == null ? new byte[0] : buffer.toByteArray();
        return new FalResponse(response.getCode(), headers, body, contentType == null ? null : contentType.toString());
    }

    @Override
    public void releaseResources() {
        buffer = null;
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1; // a malformed length is the codec's business; the running count still bounds the body
        }
    }
}
