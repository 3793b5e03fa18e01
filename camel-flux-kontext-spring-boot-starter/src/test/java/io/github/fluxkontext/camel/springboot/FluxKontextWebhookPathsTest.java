package io.github.fluxkontext.camel.springboot;

import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.fluxkontext.camel.springboot.FluxKontextWebhookStarterTest.HUGE_BODY;
import static io.github.fluxkontext.camel.springboot.FluxKontextWebhookStarterTest.SMALL_LIMIT;
import static io.github.fluxkontext.camel.springboot.FluxKontextWebhookStarterTest.answer;
import static io.github.fluxkontext.camel.springboot.FluxKontextWebhookStarterTest.head;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The starter's body filter finds a webhook consumer's path where Spring MVC does: behind the servlet context path
 * (server.servlet.context-path) and the DispatcherServlet's own path (spring.mvc.servlet.path).
 */
@SpringBootTest(classes = FluxKontextWebhookPathsTest.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        "server.servlet.context-path=/app",
                        "spring.mvc.servlet.path=/mvc",
                        // nothing reaches fal or its keys here: the body is refused before anything is verified
                        "camel.component.flux-kontext.api-key=starter-key",
                        "camel.component.flux-kontext.webhook-secret=" + FluxKontextWebhookStarterTest.SECRET,
                        "spring.main.banner-mode=off"
                })
@DirtiesContext
class FluxKontextWebhookPathsTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        RouteBuilder webhookRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("flux-kontext:webhook?path=/fal/small&maxWebhookSize=" + SMALL_LIMIT).log("${body}");
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Test
    void aContentLengthOverTheLimitIsRefusedBehindTheContextAndServletPaths() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            // announces 64 MB and sends none of it: an answer comes only from the filter, which reads nothing
            out.write(head("/app/mvc/fal/small", "Content-Length: " + HUGE_BODY));
            out.flush();

            String text = CompletableFuture.supplyAsync(() -> answer(socket, new AtomicLong(), new AtomicLong()))
                    .get(30, TimeUnit.SECONDS);

            assertTrue(text.startsWith("HTTP/1.1 413"), text);
            assertTrue(text.endsWith("\r\n\r\nPayload Too Large"), text);
        }
    }
}
