package io.github.fluxkontext.camel.webhook;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The body of a request that platform-http's Vert.x server handed over unread ({@code useBodyHandler=false}: the
 * request itself, paused): read chunk by chunk as it arrives, on Vert.x's event loop, holding no thread, and no
 * further than the limit, whatever the framing: a chunked body far over the limit is refused once the limit is
 * passed, and its rest is never read. The only class of the component that uses Vert.x, loaded only when the body
 * is a Vert.x request (the dependency is optional).
 * <p>
 * An answer given while the body is not read to its end (413 at the limit, or a refusal that needed no body: a
 * bad token, a Content-Length above the limit) ends the connection once the answer is written. Otherwise an HTTP/1.1
 * client still sending would block the connection, or Vert.x would have to read the rest to reuse it. HTTP/2
 * streams are left as they are: the paused stream grants the client no more flow-control window, so no more than
 * that window arrives, and the connection may carry other requests.
 */
public final class VertxWebhookBody extends WebhookBody {

    private final HttpServerRequest request;

    VertxWebhookBody(Object request, Exchange exchange) {
        this.request = (HttpServerRequest) request;
        // runs when platform-http is done with the exchange, after it wrote the answer
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                closeIfUnread();
            }
        });
    }

    @Override
    public CompletableFuture<byte[]> read(long limit, LongFunction<RuntimeException> tooLarge) {
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        if (request.isEnded()) {
            return CompletableFuture.completedFuture(new byte[0]); // nothing came, and nothing will
        }
        Buffer received = Buffer.buffer();
        request.handler(chunk -> {
            if (body.isDone()) {
                return;
            }
            if (received.length() + (long) chunk.length() > limit) {
                request.pause();
                body.completeExceptionally(tooLarge.apply(received.length() + (long) chunk.length()));
                return;
            }
            received.appendBuffer(chunk);
        });
        request.exceptionHandler(body::completeExceptionally);
        request.endHandler(end -> body.complete(received.getBytes()));
        request.resume();
        return body;
    }

    private void closeIfUnread() {
        if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
            request.connection().close(); // flushes the answer first
        }
    }
}
