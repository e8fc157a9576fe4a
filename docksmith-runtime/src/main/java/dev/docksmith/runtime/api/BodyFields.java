package dev.docksmith.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.BadRequestException;

/** Reads fields from a JSON body, accepting the aliases widely used clients send. */
final class BodyFields {
    private BodyFields() {
    }

    /** The first present of {@code names} as a non-blank string; 400 when none is, or one has another type. */
    static String requiredText(JsonNode body, String... names) {
        for (String name : names) {
            JsonNode value = body.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                throw new BadRequestException("'" + name + "' must be a non-empty string");
            }
            return value.asText();
        }
        throw new BadRequestException("missing field '" + names[0] + "'");
    }
}
