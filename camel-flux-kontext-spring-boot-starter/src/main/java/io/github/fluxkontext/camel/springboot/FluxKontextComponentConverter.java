package io.github.fluxkontext.camel.springboot;

import java.util.LinkedHashSet;
import java.util.Set;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.ApplicationContext;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Binds the object options ({@code configuration}, {@code ssl-context-parameters}, {@code http-client}, {@code ledger},
 * {@code idempotent-repository}) from bean
 * references, {@code #bean:name} or {@code #name}, as Camel's component starters do. Any other text converts to
 * nothing.
 */
@AutoConfiguration
@ConfigurationPropertiesBinding
public class FluxKontextComponentConverter implements GenericConverter {

    private static final Class<?>[] BEAN_TYPES = {
            FluxKontextConfiguration.class, SSLContextParameters.class, CloseableHttpAsyncClient.class, SubmissionLedger.class,
            IdempotentRepository.class };

    private final ApplicationContext applicationContext;

    public FluxKontextComponentConverter(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        Set<ConvertiblePair> answer = new LinkedHashSet<>();
        for (Class<?> type : BEAN_TYPES) {
            answer.add(new ConvertiblePair(String.class, type));
        }
        return answer;
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String ref = source.toString();
        if (!ref.startsWith("#")) {
            return null;
        }
        ref = ref.startsWith("#bean:") ? ref.substring("#bean:".length()) : ref.substring(1);
        for (Class<?> type : BEAN_TYPES) {
            if (type.equals(targetType.getType())) {
                return applicationContext.getBean(ref, type);
            }
        }
        return null;
    }
}
