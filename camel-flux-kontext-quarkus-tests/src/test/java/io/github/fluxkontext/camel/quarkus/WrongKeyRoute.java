package io.github.fluxkontext.camel.quarkus;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * A route whose endpoint has a key the simulator refuses, added while a test needs a DOWN readiness check and removed
 * after it: its producer registers the check when it starts and removes it when it stops. Operation {@code status},
 * which no route of the application uses, so its check's id tells it apart.
 */
final class WrongKeyRoute {

    static final String WRONG_KEY = "not-the-key-at-all";
    static final String CHECK_ID_PREFIX = "producer:flux-kontext-status-";

    private static final String ROUTE_ID = "wrong-key";

    private WrongKeyRoute() {
    }

    static void add(CamelContext camelContext) throws Exception {
        camelContext.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:wrong-key").routeId(ROUTE_ID).to("flux-kontext:status?apiKey=" + WRONG_KEY);
            }
        });
    }

    static void remove(CamelContext camelContext) throws Exception {
        camelContext.getRouteController().stopRoute(ROUTE_ID);
        camelContext.removeRoute(ROUTE_ID);
    }
}
