package io.github.fluxkontext.camel.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The body of a callback request, read at most up to a limit, in whatever form platform-http hands it over. The
 * consumer asks platform-http not to read bodies itself ({@code useBodyHandler=false}), which its Vert.x server
 * (Camel Main, JBang, Quarkus) honours by handing over the request unread: then {@link VertxWebhookBody} reads it
 * and stops at the limit, chunked bodies included. Other servers (Spring Boot's servlet stack) have read the body
 * before the consumer sees it, into Camel's stream cache; what is left to do then is not to copy more than the
 * limit once more.
 */
public abstract class WebhookBody {

    /** The Vert.x request type, or null when Vert.x is not there (or not visible to this component). */
    private static final Class<?> VERTX_REQUEST = vertxRequestType();

    /**
     * @param  tooLarge the refusal when the body is larger than the limit, given how many bytes came at least
     * @return          the body bytes; a failed future when it is too large or cannot be read
     */
    public abstract CompletableFuture<byte[]> read(long limit, LongFunction<RuntimeException> tooLarge);

    /** The body of the request of this platform-http exchange. */
    public static WebhookBody of(Exchange request) {
        Object body = request.getMessage().getBody();
        if (VERTX_REQUEST != null && VERTX_REQUEST.isInstance(body)) {
            return new VertxWebhookBody(body, request);
        }
        return new Handed(request.getMessage());
    }

    private static Class<?> vertxRequestType() {
        try {
            return Class.forName("io.vertx.core.http.HttpServerRequest", false, WebhookBody.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
    }

    /** A body platform-http has read already: bytes, a (cached) stream, or text. */
    private static final class Handed extends WebhookBody {
        private static final int CHUNK = 8192;
        private final Message message;

        Handed(Message message) {
            this.message = message;
        }

        @Override
        public CompletableFuture<byte[]> read(long limit, LongFunction<RuntimeException> tooLarge) {
            try {
                Object body = message.getBody();
                byte[] bytes = body instanceof InputStream in ? upTo(in, limit) : message.getBody(byte[].class);
                if (bytes == null) {
                    bytes = new byte[0]; // e.g. a form body, which platform-http has parsed into a map: not a callback
                }
                if (bytes.length > limit) {
                    throw tooLarge.apply(bytes.length);
                }
                return CompletableFuture.completedFuture(bytes);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        /** At most limit + 1 bytes of the stream: enough to tell that it is too large. */
        private static byte[] upTo(InputStream in, long limit) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[CHUNK];
            try {
                int n;
                while (out.size() <= limit && (n = in.read(chunk, 0, (int) Math.min(CHUNK, limit + 1 - out.size()))) >= 0) {
                    out.write(chunk, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("The callback's body could not be read: " + e.getMessage(), e);
            }
            return out.toByteArray();
        }
    }
}
