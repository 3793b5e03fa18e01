package io.github.fluxkontext.camel.springboot;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.AnnotatedBeanDefinitionReader;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.context.support.GenericWebApplicationContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * When the starter registers its WebhookBodyLimitFilter: in a servlet web application, unless
 * camel.component.flux-kontext.webhook-body-limit-enabled=false. What it does is FluxKontextWebhookStarterTest's.
 */
class FluxKontextWebhookBodyLimitAutoConfigurationTest {

    @Test
    void aServletApplicationGetsTheFilter() {
        Map<String, FilterRegistrationBean> filters = filters(new GenericWebApplicationContext());

        assertEquals(1, filters.size(), filters.toString());
        assertInstanceOf(WebhookBodyLimitFilter.class, filters.values().iterator().next().getFilter());
    }

    @Test
    void thePropertyTurnsItOff() {
        assertEquals(Map.of(), filters(new GenericWebApplicationContext(), "camel.component.flux-kontext.webhook-body-limit-enabled=false"));
    }

    @Test
    void anApplicationThatIsNoServletWebApplicationHasNone() {
        assertEquals(Map.of(), filters(new GenericApplicationContext()));
    }

    /** The filter registrations of the starter's auto-configuration in this context. */
    @SuppressWarnings("rawtypes")
    private static Map<String, FilterRegistrationBean> filters(GenericApplicationContext context, String... properties) {
        try (context) {
            TestPropertyValues.of(properties).applyTo(context);
            new AnnotatedBeanDefinitionReader(context).register(FluxKontextWebhookBodyLimitAutoConfiguration.class);
            context.refresh();
            return context.getBeansOfType(FilterRegistrationBean.class);
        }
    }
}
