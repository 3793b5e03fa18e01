package io.github.fluxkontext.camel;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * A Camel Main application that {@link CrashRedelivery} starts in a process of its own, kills with
 * {@code kill -9} and starts again: it reads jobs from a folder (one prompt per file; the file name is the
 * idempotency key, since the file is what comes again), generates each image with flux-kontext and writes it as
 * {@code <out>/<key>/<requestId>.jpg}. Processed files move to {@code .done}, failed ones to {@code .failed}.
 * <p>
 * Arguments: {@code in=DIR out=DIR} and any number of {@code camel.*=value} properties, among them the ledger's:
 * {@code camel.beans.ledger=#class:...} and {@code camel.component.flux-kontext.ledger=#ledger}. It tells what it
 * does on standard output, one line each, for the test to count: {@code EVENT started}, {@code EVENT delivered KEY},
 * {@code EVENT done KEY REQUEST_ID}, {@code EVENT failed KEY EXCEPTION outcomeUnknown=BOOLEAN}.
 */
public final class RedeliveryApplication {

    private RedeliveryApplication() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            settings.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Main main = new Main();
        settings.forEach((name, value) -> {
            if (name.startsWith("camel.")) {
                main.addOverrideProperty(name, value);
            }
        });
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).process(exchange -> {
                    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                    event("failed", key(exchange), failure.getClass().getSimpleName(), "outcomeUnknown="
                            + (failure instanceof FluxKontextTransportException transport && transport.isOutcomeUnknown()));
                });

                // a read lock: Camel's file consumer lists the folder, then claims each listed file; a file whose
                // exchange completed (and was moved) in between would be delivered again, without a file. The "changed"
                // lock skips a file that is gone, and leaves nothing behind at a kill -9 (a marker file would).
                from("file:" + settings.get("in") + "?move=.done&moveFailed=.failed&delay=100&readLock=changed&readLockCheckInterval=20")
                        .routeId("jobs")
                        .setHeader(FluxKontextConstants.IDEMPOTENCY_KEY, simple("${file:onlyname}"))
                        .process(exchange -> event("delivered", key(exchange)))
                        .convertBodyTo(String.class)
                        .to("flux-kontext:text-to-image?outputType=bytes")
                        .setHeader(Exchange.FILE_NAME, simple("${header.CamelFluxKontextIdempotencyKey}/${header.CamelFluxKontextRequestId}.jpg"))
                        .to("file:" + settings.get("out"))
                        .process(exchange -> event("done", key(exchange),
                                exchange.getMessage().getHeader(FluxKontextConstants.REQUEST_ID, String.class)));
            }
        });
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport camelMain) {
                event("started");
            }
        });
        main.run();
    }

    private static String key(Exchange exchange) {
        return exchange.getMessage().getHeader(FluxKontextConstants.IDEMPOTENCY_KEY, String.class);
    }

    private static synchronized void event(String... words) {
        System.out.println("EVENT " + String.join(" ", words));
        System.out.flush();
    }
}
