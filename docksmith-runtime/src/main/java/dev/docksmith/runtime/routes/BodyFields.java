package dev.docksmith.runtime.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.api.BadRequestException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The first present of {@code names} as a non-blank string, or null when none is given. */
    static String optionalText(JsonNode body, String... names) {
        for (String name : names) {
            JsonNode value = body.get(name);
            if (value != null && !value.isNull()) {
                return requiredText(body, name);
            }
        }
        return null;
    }

    /** A boolean field, {@code dflt} when absent; 400 for any other type. */
    static boolean optionalBool(JsonNode body, String name, boolean dflt) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return dflt;
        }
        if (!value.isBoolean()) {
            throw new BadRequestException("'" + name + "' must be true or false");
        }
        return value.asBoolean();
    }

    /** An array of non-empty strings from the first present of {@code names}; 400 when missing or of another type. */
    static List<String> requiredTextList(JsonNode body, String... names) {
        for (String name : names) {
            JsonNode value = body.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isArray()) {
                throw new BadRequestException("'" + name + "' must be an array of strings");
            }
            List<String> list = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual() || item.asText().isBlank()) {
                    throw new BadRequestException("'" + name + "' must contain only non-empty strings");
                }
                list.add(item.asText());
            }
            return list;
        }
        throw new BadRequestException("missing field '" + names[0] + "'");
    }

    /** An object of string (or number, boolean) values; 400 when missing or of another type. */
    static Map<String, String> requiredTextMap(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw new BadRequestException("missing field '" + name + "'");
        }
        if (!value.isObject()) {
            throw new BadRequestException("'" + name + "' must be an object of label names to values");
        }
        Map<String, String> map = new LinkedHashMap<>();
        var fields = value.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new BadRequestException("label '" + e.getKey() + "' must have a string value");
            }
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }
}
