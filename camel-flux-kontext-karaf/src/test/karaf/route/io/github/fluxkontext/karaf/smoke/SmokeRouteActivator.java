package io.github.fluxkontext.karaf.smoke;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The smoke test's route bundle (smoke.sh compiles it and drops it into Karaf's deploy/): a Camel context
 * of camel-karaf's OSGi flavour with one route that asks flux-kontext:text-to-image for an image and
 * writes it to a file. The component is not added by hand: camel-karaf resolves the scheme through the
 * component bundle's META-INF/services entry, as it does for any user's route.
 * Settings come from framework properties (etc/system.properties): flux.smoke.baseUrl, flux.smoke.out.
 */
public final class SmokeRouteActivator implements BundleActivator {

    private OsgiDefaultCamelContext camel;

    @Override
    public void start(BundleContext bundleContext) throws Exception {
        String baseUrl = bundleContext.getProperty("flux.smoke.baseUrl");
        String out = bundleContext.getProperty("flux.smoke.out");
        camel = new OsgiDefaultCamelContext(bundleContext);
        camel.getCamelContextExtension().setName("flux-kontext-smoke");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:flux-kontext-smoke?repeatCount=1").routeId("flux-kontext-smoke")
                        .setBody(constant("A lighthouse on a cliff at dusk, drawn in Karaf"))
                        .to("flux-kontext:text-to-image?baseUrl=" + baseUrl
                                + "&apiKey=karaf-smoke&outputType=bytes&outputFormat=png&aspectRatio=16:9&seed=7")
                        .to("file:" + out + "?fileName=smoke.png&tempPrefix=.writing-")
                        .log("flux-kontext smoke: image written");
            }
        });
        camel.start();
    }

    @Override
    public void stop(BundleContext bundleContext) {
        if (camel != null) {
            camel.stop();
        }
    }
}
