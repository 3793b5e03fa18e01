package io.github.fluxkontext.camel.springboot;

import jakarta.servlet.Filter;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * On a servlet web application (Spring Boot's Tomcat, Jetty or Undertow, where camel-platform-http-starter serves
 * {@code flux-kontext:webhook}), the {@link WebhookBodyLimitFilter} that reads callback bodies no further than
 * {@code maxWebhookSize}. Off with {@code camel.component.flux-kontext.webhook-body-limit-enabled=false}.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(Filter.class)
@ConditionalOnProperty(prefix = "camel.component.flux-kontext", name = "webhook-body-limit-enabled", havingValue = "true",
                       matchIfMissing = true)
public class FluxKontextWebhookBodyLimitAutoConfiguration {

    /**
     * Early among the filters (after Spring's character encoding and observation filters), so that no other filter
     * reads a callback's body first. The CamelContext is looked up at each request: asking for it here would create
     * it while the web server starts, before the rest of the application.
     */
    @Bean
    public FilterRegistrationBean<WebhookBodyLimitFilter> fluxKontextWebhookBodyLimitFilter(ObjectProvider<CamelContext> camelContext) {
        FilterRegistrationBean<WebhookBodyLimitFilter> registration
                = new FilterRegistrationBean<>(new WebhookBodyLimitFilter(camelContext::getIfAvailable));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
