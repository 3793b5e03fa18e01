package io.github.fluxkontext.example;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads {@code CAMEL_COMPONENT_FLUX_KONTEXT_<OPTION>} environment variables as
 * {@code camel.component.flux-kontext.<option>} properties.
 * <p>
 * Camel Main 4.18 does not apply {@code CAMEL_COMPONENT_*} variables to components (neither
 * {@code CAMEL_COMPONENT_FLUX_KONTEXT_OUTPUT_FORMAT} nor, say, {@code CAMEL_COMPONENT_FILE_BRIDGE_ERROR_HANDLER}
 * changes anything: {@code BaseMainSupport.autoConfigurationFromProperties} filters the variables by comparing
 * their upper-case names with the prefix {@code camel.component.}, which none matches). Its property
 * placeholders do see the environment ({@code {{example.output-dir}}} is overridden by
 * {@code EXAMPLE_OUTPUT_DIR}), but component options are bound without placeholders. So the example hands
 * these variables to Camel Main as override properties itself.
 */
final class ComponentEnvironment {

    static final String PREFIX = "CAMEL_COMPONENT_FLUX_KONTEXT_";

    private ComponentEnvironment() {
    }

    /** {@code CAMEL_COMPONENT_FLUX_KONTEXT_OUTPUT_FORMAT=png} gives {@code camel.component.flux-kontext.output-format=png}. */
    static Properties overrides(Map<String, String> environment) {
        Properties properties = new Properties();
        environment.forEach((name, value) -> {
            String upper = name.toUpperCase(Locale.ROOT);
            if (upper.startsWith(PREFIX) && upper.length() > PREFIX.length() && value != null) {
                String option = upper.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
                properties.setProperty("camel.component.flux-kontext." + option, value);
            }
        });
        return properties;
    }
}
