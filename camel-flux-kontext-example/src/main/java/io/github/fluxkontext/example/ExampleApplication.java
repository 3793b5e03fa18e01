package io.github.fluxkontext.example;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.WaitMode;
import io.github.fluxkontext.camel.ledger.FileSubmissionLedger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example as a Camel Main application: {@code application.properties}, the environment and the given
 * override properties configure it; {@code example.routes} picks the Java DSL or the YAML route set; the
 * backend (simulator, fal or an aggregator) is chosen once the component is configured and before any
 * route starts.
 */
final class ExampleApplication implements AutoCloseable {

    static final String YAML_ROUTES = "classpath:routes/flux-kontext-example.yaml";
    private static final Logger LOG = LoggerFactory.getLogger("io.github.fluxkontext.example");

    private final Main main = new Main();
    private final Map<String, String> environment;
    private volatile ExampleSettings settings;
    private volatile Backend backend;

    /**
     * @param overrides   properties that win over {@code application.properties} (the program arguments, or a test's)
     * @param environment the process environment ({@code System.getenv()})
     */
    ExampleApplication(Properties overrides, Map<String, String> environment) {
        this.environment = environment;
        ComponentEnvironment.overrides(environment).forEach((key, value) -> main.addOverrideProperty((String) key, (String) value));
        overrides.forEach((key, value) -> main.addOverrideProperty((String) key, (String) value));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport camelMain) {
                settings = ExampleSettings.read(camelMain.getCamelContext());
                if ("yaml".equals(settings.routes())) {
                    camelMain.configure().withRoutesIncludePattern(YAML_ROUTES);
                } else {
                    camelMain.configure().addRoutesBuilder(new ExampleRoutes());
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport camelMain) {
                FluxKontextComponent component = camelMain.getCamelContext().getComponent("flux-kontext", FluxKontextComponent.class);
                backend = Backend.configure(component.getConfiguration(), settings, environment);
                LOG.info("Backend: {}", backend.describe());
                if (settings.watch() && "file".equals(settings.ledger())) {
                    // the watch routes key each submit by its input; this ledger outlives the process
                    component.getConfiguration().setLedger(new FileSubmissionLedger(settings.ledgerDir()));
                    LOG.info("Ledger: {} (a restarted watch waits for the jobs it submitted rather than paying again)",
                            ExampleSettings.shown(settings.ledgerDir()));
                }
                if (settings.webhook()) {
                    requireFreeServerPort(camelMain.getCamelContext());
                    waitForCallbacks(component.getConfiguration());
                }
                LOG.info("Routes: {} ({}), images go to {}", settings.routes(),
                        "yaml".equals(settings.routes()) ? YAML_ROUTES : ExampleRoutes.class.getName(),
                        ExampleSettings.shown(settings.outputDir()));
            }

            @Override
            public void afterStop(BaseMainSupport camelMain) {
                closeBackend();
            }
        });
    }

    /**
     * Webhook mode: every job waits for its callback, which the route {@code webhook} receives on Camel Main's HTTP
     * server (a poll every max-poll-interval still completes a job whose callback never comes). The consumer takes only
     * our own callbacks: those of our fal account (webhook-user-ids; the simulator's, unless set) of jobs submitted with
     * our webhook secret (webhook-secret; unless set, a random one for this run, which the producers and the consumer of
     * this JVM share).
     */
    private void waitForCallbacks(FluxKontextConfiguration configuration) {
        configuration.setWaitMode(WaitMode.WEBHOOK);
        configuration.setWebhookUrl(settings.webhookUrl());
        if (configuration.getWebhookSecret() == null) {
            configuration.setWebhookSecret(randomSecret());
        }
        if (configuration.getWebhookUserIds() == null && backend.kind() == Backend.Kind.SIMULATOR) {
            configuration.setWebhookUserIds(Backend.SIMULATOR_USER_ID);
        }
        LOG.info("Webhook mode: jobs wait for fal's callback to {} (route webhook, Camel Main's HTTP server), which takes the"
                 + " callbacks of fal user(s) {} of jobs submitted with the webhook secret", settings.webhookUrl(),
                configuration.getWebhookUserIds() == null ? "(any: set camel.component.flux-kontext.webhook-user-ids to yours)"
                        : configuration.getWebhookUserIds());
        String host = URI.create(settings.webhookUrl()).getHost();
        if (backend.kind() != Backend.Kind.SIMULATOR && host != null && ("localhost".equals(host) || host.startsWith("127."))) {
            LOG.warn("fal cannot call {} back: set example.webhook.url to a public https URL that reaches this machine (a tunnel);"
                     + " meanwhile the jobs complete by polling every max-poll-interval", settings.webhookUrl());
        }
    }

    /** 32 random bytes: a webhook secret for this run. */
    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Starts Camel (and the simulator if it is the backend); the routes are running when this returns. */
    void start() throws Exception {
        try {
            main.start();
        } catch (Exception | Error e) {
            closeBackend();
            throw e;
        }
    }

    /**
     * Webhook mode needs Camel Main's HTTP server. When its port is taken (by the simulator on 8080, say), Vert.x only
     * logs a WARN and Camel starts anyway: the callbacks would go to whoever has the port, the jobs would complete by
     * the background polls, and the run would look fine. So the example does not start, and says why.
     */
    private static void requireFreeServerPort(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        int port = Integer.parseInt(properties.resolveProperty("camel.server.port").orElse("8080").trim());
        String host = properties.resolveProperty("camel.server.host").orElse("0.0.0.0").trim();
        if (port == 0) {
            return; // a port of the system's choosing is always free
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Vert.x binds: a connection closing (TIME_WAIT) does not count as taken
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("--webhook needs Camel Main's HTTP server, and it cannot listen on port " + port + " ("
                                            + e.getMessage() + "; another program uses it?). Choose a free one, e.g."
                                            + " --camel.server.port=8081"); // the reason is in the message: the example prints the innermost cause's
        }
    }

    /** Blocks until the JVM is asked to stop (Ctrl+C, SIGTERM), then stops Camel and the simulator. */
    void awaitShutdown() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "flux-kontext-example-shutdown"));
        stopped.await();
    }

    /** Sends the shipped samples to the routes and waits for every job. */
    List<SampleJobs.Outcome> runSamples(Duration timeout) {
        CamelContext context = context();
        List<SampleJobs.Job> jobs = SampleJobs.load(context);
        try (ProducerTemplate template = context.createProducerTemplate()) {
            return SampleJobs.run(template, jobs, timeout);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    ExampleSettings settings() {
        return settings;
    }

    Backend backend() {
        return backend;
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("Stopping Camel failed: {}", e.toString());
        } finally {
            closeBackend();
        }
    }

    private void closeBackend() {
        Backend b = backend;
        if (b != null) {
            b.close();
        }
    }
}
