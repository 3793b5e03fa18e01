package io.github.fluxkontext.camel.springboot;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.FluxKontextComponent;
import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.FluxKontextModel;
import io.github.fluxkontext.camel.ledger.MemorySubmissionLedger;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The auto-configuration in small Spring Boot applications: binding of every option, durations and sizes, bean
 * references, the secret, and the switches that turn it off.
 */
class FluxKontextComponentAutoConfigurationTest {

    private static final String P = "camel.component.flux-kontext.";
    private static final String DEFAULT_BASE_URL = "https://queue.fal.run";

    @SpringBootConfiguration
    // not a web application: platform-http (on the test class path for the webhook test) needs a web server
    @EnableAutoConfiguration(excludeName = { "org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpAutoConfiguration",
            "org.apache.camel.component.platform.http.springboot.SpringBootPlatformWebMvcConfiguration" })
    static class Application {
    }

    /**
     * Starts an application with everything on the test class path auto-configured (Camel's and this starter's
     * auto-configurations, found through their AutoConfiguration.imports), the given singletons and properties.
     */
    private static ConfigurableApplicationContext start(Map<String, Object> singletons, String... properties) {
        return new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .initializers(context -> singletons.forEach(context.getBeanFactory()::registerSingleton))
                .properties(properties)
                .run();
    }

    private static FluxKontextComponent component(ConfigurableApplicationContext context) {
        return context.getBean(CamelContext.class).getComponent("flux-kontext", FluxKontextComponent.class);
    }

    private static void run(Consumer<FluxKontextComponent> check, String... properties) {
        try (ConfigurableApplicationContext context = start(Map.of(), properties)) {
            check.accept(component(context));
        }
    }

    @Test
    void theImportsFileRegistersTheConverterAndTheAutoConfiguration() {
        List<String> ours = new ArrayList<>();
        for (String name : ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())) {
            if (name.startsWith(FluxKontextComponentAutoConfiguration.class.getPackageName() + ".")) {
                ours.add(name);
            }
        }
        assertEquals(List.of(FluxKontextComponentConverter.class.getName(),
                FluxKontextComponentAutoConfiguration.class.getName(), FluxKontextWebhookBodyLimitAutoConfiguration.class.getName()), ours);
    }

    @Test
    void everyOptionOfTheComponentBindsFromItsRelaxedName() throws Exception {
        JsonNode options = componentJson().get("componentProperties");
        List<String> properties = new ArrayList<>();
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        options.fields().forEachRemaining(option -> {
            String name = option.getKey();
            JsonNode o = option.getValue();
            String type = o.get("type").asText();
            String value;
            String expect;
            switch (type) {
                case "object" -> {
                    return; // bean references: see objectOptionsBindFromBeanReferences
                }
                case "boolean" -> {
                    boolean def = o.has("defaultValue") && o.get("defaultValue").asBoolean();
                    value = String.valueOf(!def);
                    expect = value;
                }
                case "integer" -> {
                    value = "7";
                    expect = "7";
                }
                case "number" -> {
                    value = "4.5";
                    expect = "4.5";
                }
                case "duration" -> {
                    value = "3s"; // the component holds milliseconds
                    expect = "3000";
                }
                case "enum" -> {
                    JsonNode values = o.get("enum");
                    value = values.get(values.size() - 1).asText(); // not the default (the first, where there is one)
                    expect = value;
                }
                case "string" -> {
                    value = "value-of-" + name;
                    expect = value;
                }
                default -> throw new AssertionError("option " + name + " has a type this test does not know: " + type);
            }
            properties.add(P + kebab(name) + "=" + value);
            expected.put(name, expect);
        });
        assertTrue(expected.size() > 40, "options found: " + expected.keySet());

        run(component -> {
            PropertyConfigurerGetter getter = (PropertyConfigurerGetter) component.getComponentPropertyConfigurer();
            expected.forEach((name, expect) -> assertEquals(expect,
                    String.valueOf(getter.getOptionValue(component, name, false)), "option " + name));
        }, properties.toArray(new String[0]));
    }

    @Test
    void durationsAndSizesTakeUnitsOrPlainNumbers() {
        run(component -> {
            FluxKontextConfiguration c = component.getConfiguration();
            assertEquals(2000, c.getPollInterval());
            assertEquals(2000, c.getMaxPollInterval());
            assertEquals(1500, c.getRetryDelay());
            assertEquals(300_000, c.getTimeout());
            assertEquals(5000L, c.getStartTimeout());
            assertEquals(20L * 1024 * 1024, c.getMaxDownloadSize());
            assertEquals(4096, c.getMaxInlineImageSize());
            assertEquals(250, c.getConnectTimeout());
        }, P + "poll-interval=2s", P + "max-poll-interval=2000", P + "retry-delay=PT1.5S", P + "timeout=5m",
                P + "start-timeout=5s", P + "max-download-size=20MB", P + "max-inline-image-size=4096",
                P + "connectTimeout=250ms");
    }

    @Test
    void environmentVariablesBind() {
        Map<String, Object> env = Map.of("CAMEL_COMPONENT_FLUXKONTEXT_BASEURL", "https://aggregator.example",
                "CAMEL_COMPONENT_FLUXKONTEXT_POLLINTERVAL", "3s");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                // Spring Boot reads CAMEL_COMPONENT_... names from sources named (...-)systemEnvironment only
                .initializers(c -> c.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                        "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)))
                .run()) {
            FluxKontextConfiguration c = component(context).getConfiguration();
            assertEquals("https://aggregator.example", c.getBaseUrl());
            assertEquals(3000, c.getPollInterval());
        }
    }

    @Test
    void optionsNotSetKeepTheComponentsDefaults() {
        run(component -> {
            FluxKontextConfiguration c = component.getConfiguration();
            FluxKontextConfiguration defaults = new FluxKontextConfiguration();
            assertEquals("k", c.getApiKey());
            assertEquals(defaults.getBaseUrl(), c.getBaseUrl());
            assertEquals(defaults.getPollInterval(), c.getPollInterval());
            assertEquals(defaults.getMaxDownloadSize(), c.getMaxDownloadSize());
            assertNull(c.getEnhancePrompt(), "unset: not sent to fal");
        }, P + "api-key=k");
    }

    @Test
    void aComponentDefinedAsABeanKeepsWhatThePropertiesDoNotSet() {
        FluxKontextComponent mine = new FluxKontextComponent();
        mine.getConfiguration().setBaseUrl("https://aggregator.example");
        mine.getConfiguration().setModel(FluxKontextModel.MAX);
        try (ConfigurableApplicationContext context = start(Map.of("flux-kontext", mine), P + "api-key=k",
                P + "model=pro")) {
            assertSame(mine, component(context));
            FluxKontextConfiguration c = mine.getConfiguration();
            assertEquals("https://aggregator.example", c.getBaseUrl(), "not set by a property: kept");
            assertEquals(FluxKontextModel.PRO, c.getModel());
            assertEquals("k", c.getApiKey());
        }
    }

    @Test
    void objectOptionsBindFromBeanReferences() {
        SSLContextParameters tls = new SSLContextParameters();
        CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
        FluxKontextConfiguration shared = new FluxKontextConfiguration();
        shared.setModel(FluxKontextModel.MAX);
        MemorySubmissionLedger ledger = new MemorySubmissionLedger();
        IdempotentRepository seen = MemoryIdempotentRepository.memoryIdempotentRepository();
        try (ConfigurableApplicationContext context = start(
                Map.of("myTls", tls, "myClient", client, "sharedKontext", shared, "myLedger", ledger, "seenCallbacks", seen),
                P + "ssl-context-parameters=#bean:myTls", P + "http-client=#myClient", P + "ledger=#bean:myLedger",
                P + "configuration=#bean:sharedKontext", P + "base-url=https://aggregator.example",
                P + "idempotent-repository=#seenCallbacks")) {
            FluxKontextConfiguration c = component(context).getConfiguration();
            assertSame(shared, c, "the configuration bean");
            assertEquals(FluxKontextModel.MAX, c.getModel(), "kept from the bean");
            assertEquals("https://aggregator.example", c.getBaseUrl(), "properties apply on top of the bean");
            assertSame(tls, c.getSslContextParameters());
            assertSame(client, c.getHttpClient());
            assertSame(ledger, c.getLedger());
            assertSame(seen, c.getIdempotentRepository(), "the webhook consumers' shared repository");
        }
    }

    @Test
    void theApiKeyAndTheWebhookSecretAreNeverShownByToString() {
        try (ConfigurableApplicationContext context = start(Map.of(), P + "api-key=s3cr3t-key-value",
                P + "webhook-secret=an0ther-s3cr3t-webhook-value", P + "base-url=https://aggregator.example")) {
            String text = context.getBean(FluxKontextComponentConfiguration.class).toString();
            assertFalse(text.contains("s3cr3t"), text);
            assertTrue(text.contains("apiKey=******"), text);
            assertTrue(text.contains("webhookSecret=******"), text);
            assertTrue(text.contains("baseUrl=https://aggregator.example"), text);
            assertEquals("an0ther-s3cr3t-webhook-value", component(context).getConfiguration().getWebhookSecret(), "bound");
            assertFalse(component(context).getConfiguration().toString().contains("s3cr3t"));
        }
    }

    @Test
    void enabledFalseTurnsTheAutoConfigurationOff() {
        try (ConfigurableApplicationContext context = start(Map.of(), P + "enabled=false",
                P + "base-url=https://aggregator.example")) {
            assertTrue(context.getBeansOfType(FluxKontextComponentAutoConfiguration.class).isEmpty());
            assertTrue(context.getBeansOfType(FluxKontextComponentConfiguration.class).isEmpty());
            assertEquals(DEFAULT_BASE_URL, component(context).getConfiguration().getBaseUrl());
        }
    }

    @Test
    void allComponentsOffTurnsItOffToo() {
        try (ConfigurableApplicationContext context = start(Map.of(), "camel.component.enabled=false",
                P + "base-url=https://aggregator.example")) {
            assertTrue(context.getBeansOfType(FluxKontextComponentConfiguration.class).isEmpty());
            assertEquals(DEFAULT_BASE_URL, component(context).getConfiguration().getBaseUrl());
        }
    }

    @Test
    void customizerSwitchesStopTheCopyOnly() {
        for (String off : List.of(P + "customizer.enabled=false", "camel.component.customizer.enabled=false")) {
            try (ConfigurableApplicationContext context = start(Map.of(), off,
                    P + "base-url=https://aggregator.example")) {
                assertEquals("https://aggregator.example",
                        context.getBean(FluxKontextComponentConfiguration.class).getBaseUrl(), "still bound");
                assertEquals(DEFAULT_BASE_URL, component(context).getConfiguration().getBaseUrl(), off);
            }
        }
    }

    @Test
    void enabledByDefault() {
        run(component -> assertEquals("https://aggregator.example", component.getConfiguration().getBaseUrl()),
                P + "base-url=https://aggregator.example");
    }

    static JsonNode componentJson() throws Exception {
        try (InputStream in = FluxKontextComponent.class.getClassLoader()
                .getResourceAsStream("META-INF/io/github/fluxkontext/camel/flux-kontext.json")) {
            assertTrue(in != null, "flux-kontext.json on the class path (from the component jar)");
            return new ObjectMapper().readTree(in);
        }
    }

    /** Spring Boot's canonical (kebab-case) form of a camelCase option name. */
    static String kebab(String camelCase) {
        return camelCase.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }
}
