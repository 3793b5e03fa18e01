package io.github.fluxkontext.camel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.simulator.WebhookDelivery;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;

import static org.awaitility.Awaitility.await;

/**
 * Runs webhook consumers on Camel Main's platform-http server (Vert.x), on a port of the test's own, with the
 * simulator's JWKS as the component's jwksUrl.
 */
public abstract class WebhookTestSupport extends FluxKontextTestSupport {

    protected static final String PATH = "/fal/webhook";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** This context's HTTP server port. */
    protected final int port = freePort();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        serveHttp(context, port);
        return context;
    }

    @Override
    protected void configure(FluxKontextConfiguration configuration) {
        super.configure(configuration);
        configuration.setJwksUrl(sim().jwksUrl());
    }

    /** Gives the context a platform-http server (Camel Main's, as with camel.server.enabled=true) on this port. */
    static void serveHttp(CamelContext context, int port) throws Exception {
        MainHttpServer server = new MainHttpServer();
        server.setCamelContext(context);
        server.setHost("127.0.0.1");
        server.setPort(port);
        context.addService(server);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of a path on this context's server. */
    protected String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Submits a text-to-image job that calls {@code webhookUrl} back, without waiting; its request id. */
    protected String submit(String webhookUrl, String prompt) {
        return template.requestBody("flux-kontext:text-to-image?waitForResult=false&webhookUrl=RAW(" + webhookUrl + ")", prompt,
                KontextJob.class).requestId();
    }

    /**
     * The simulator's delivery attempts for one job, once there are {@code n}. An attempt is recorded when it is answered
     * or timed out, so this waits beyond the simulator's delivery timeout.
     */
    protected static List<WebhookDelivery> deliveries(String requestId, int n) {
        await().atMost(WEBHOOK_DELIVERY_TIMEOUT.plusSeconds(30)).until(() -> deliveriesOf(requestId).size() >= n);
        return deliveriesOf(requestId);
    }

    protected static List<Integer> statuses(List<WebhookDelivery> deliveries) {
        return deliveries.stream().map(WebhookDelivery::status).toList();
    }

    private static List<WebhookDelivery> deliveriesOf(String requestId) {
        return sim().webhookDeliveries().stream().filter(d -> d.requestId().equals(requestId)).toList();
    }

    /** Sends a request straight to a URL; its status. */
    protected static int send(String method, String url, Map<String, String> headers, byte[] body) throws Exception {
        return answer(method, url, headers, body).statusCode();
    }

    /** Sends a request straight to a URL; the answer, its body as text. */
    protected static HttpResponse<String> answer(String method, String url, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The webhook consumer of a route. */
    protected FluxKontextWebhookConsumer consumer(String routeId) {
        return (FluxKontextWebhookConsumer) context.getRoute(routeId).getConsumer();
    }
}
