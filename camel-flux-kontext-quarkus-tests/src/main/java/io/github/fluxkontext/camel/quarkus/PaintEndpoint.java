package io.github.fluxkontext.camel.quarkus;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * {@code POST /paint} with a prompt as the body answers with the image the Java text-to-image route made: how a test
 * asks the packaged application, a separate process, for an image. On Quarkus' own router, because
 * camel-quarkus-platform-http is missing at 3.33.x from the mirror the build machines reach. A test application: it
 * listens where the test says and asks for no credentials.
 */
@ApplicationScoped
public class PaintEndpoint {

    /** A prompt is a few sentences; a larger body is refused (413) before it is read in full. */
    static final int MAX_PROMPT_BYTES = 4096;

    @Inject
    ProducerTemplate template;

    void register(@Observes Router router) {
        router.post("/paint")
                .handler(BodyHandler.create().setBodyLimit(MAX_PROMPT_BYTES))
                // the route waits for the image: off the event loop, and not one request after another
                .blockingHandler(this::paint, false);
    }

    private void paint(RoutingContext request) {
        String prompt = request.body().asString();
        if (prompt == null || prompt.isBlank()) {
            request.response().setStatusCode(400).end("The body must be the prompt, as text");
            return;
        }
        Exchange painted = template.request("direct:java-text-to-image", exchange -> exchange.getMessage().setBody(prompt));
        if (painted.isFailed()) {
            // the component's messages name the field or the job, never the key
            request.response().setStatusCode(502).end("No image: " + painted.getException().getMessage());
            return;
        }
        request.response()
                .putHeader("Content-Type", painted.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class))
                .end(Buffer.buffer(painted.getMessage().getBody(byte[].class)));
    }
}
