package io.github.fluxkontext.camel.springboot;

import java.util.Map;

import io.github.fluxkontext.camel.FluxKontextComponent;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;

/**
 * Configures the {@code flux-kontext} component from {@code camel.component.flux-kontext.*}, the way Camel's own
 * component starters do (written by hand: Camel's starter generator only serves {@code org.apache.camel}
 * components).
 * <p>
 * Off with {@code camel.component.flux-kontext.enabled=false} (or {@code camel.component.enabled=false}); the
 * copying onto the component alone is off with {@code camel.component.flux-kontext.customizer.enabled=false} (or
 * {@code camel.component.customizer.enabled=false}).
 */
@AutoConfiguration(after = { CamelAutoConfiguration.class, FluxKontextComponentConverter.class })
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, FluxKontextComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.flux-kontext" })
public class FluxKontextComponentAutoConfiguration {

    private final ApplicationContext applicationContext;
    private final FluxKontextComponentConfiguration configuration;

    public FluxKontextComponentAutoConfiguration(ApplicationContext applicationContext,
                                                 FluxKontextComponentConfiguration configuration) {
        this.applicationContext = applicationContext;
        this.configuration = configuration;
    }

    /**
     * Copies the options that were set onto each {@link FluxKontextComponent} when Camel creates it. Strict: an
     * option the component does not know fails the start instead of being dropped.
     */
    @Lazy
    @Bean
    public ComponentCustomizer configureFluxKontextComponent() {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                Map<String, Object> properties = configuration.componentProperties();
                // camel-spring-boot 4.18's copy (CamelPropertiesHelper.copyProperties) binds leniently; the same
                // binding through the component's configurer, failing on an unknown option
                CamelPropertiesHelper.setCamelProperties(target.getCamelContext(), target, properties, true);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        "camel.component.flux-kontext.customizer")
                       && target instanceof FluxKontextComponent;
            }
        };
    }
}
