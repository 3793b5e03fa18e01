package io.github.fluxkontext.camel.client;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A completed job's output as fal's result answer carried it.
 *
 * @param output        the output, as fal sent it
 * @param billableUnits the units fal bills for the job (header {@code x-fal-billable-units}), or null when the answer
 *                      had none (or an unreadable one)
 */
public record JobOutput(JsonNode output, BigDecimal billableUnits) {
}
