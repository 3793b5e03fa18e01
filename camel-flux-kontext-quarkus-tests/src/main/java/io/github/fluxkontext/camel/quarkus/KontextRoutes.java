package io.github.fluxkontext.camel.quarkus;

import org.apache.camel.builder.RouteBuilder;

/**
 * The Java DSL routes of the application; Camel Quarkus finds RouteBuilders on its own. Their twins in YAML are in
 * {@code routes/kontext-routes.yaml}. Every option comes from {@code application.properties}.
 */
public class KontextRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:java-text-to-image").routeId("java-text-to-image")
                .to("flux-kontext:text-to-image");

        from("direct:java-edit").routeId("java-edit")
                .to("flux-kontext:edit");

        from("direct:java-multi").routeId("java-multi")
                .to("flux-kontext:multi");
    }
}
