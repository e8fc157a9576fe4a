package dev.docksmith.storage.xodus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.Operation;
import dev.docksmith.api.OperationStatus;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How operations and check records are written: JSON with the API's snake_case field names, so a value read
 * straight out of the store looks like what {@code /api/operations} shows. Mapped by hand (no annotations on
 * the API records, which must not depend on Jackson). Absent and null fields both read as null; instants are
 * ISO-8601 text, which keeps every digit.
 */
final class JsonCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonCodec() {
    }

    static byte[] write(Operation op) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("operation_id", op.id());
        node.put("operation_type", op.type());
        node.put("status", op.status().wire());
        putIfSet(node, "container_name", op.containerName());
        putIfSet(node, "stack_name", op.stackName());
        putIfSet(node, "old_version", op.oldVersion());
        putIfSet(node, "new_version", op.newVersion());
        node.put("started_at", op.startedAt().toString());
        putIfSet(node, "completed_at", op.completedAt() == null ? null : op.completedAt().toString());
        putIfSet(node, "error", op.error());
        ObjectNode details = node.putObject("details");
        op.details().forEach(details::put);
        return bytes(node);
    }

    static Operation readOperation(byte[] json, int length) {
        JsonNode node = tree(json, length);
        Map<String, String> details = new LinkedHashMap<>();
        node.path("details").properties().forEach(e -> details.put(e.getKey(), e.getValue().asText()));
        return new Operation(text(node, "operation_id"), text(node, "operation_type"),
                OperationStatus.fromWire(text(node, "status")), text(node, "container_name"), text(node, "stack_name"),
                text(node, "old_version"), text(node, "new_version"), instant(node, "started_at"),
                instant(node, "completed_at"), text(node, "error"), details);
    }

    static byte[] write(CheckRecord record) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("checked_at", record.checkedAt().toString());
        putIfSet(node, "container_name", record.containerName());
        putIfSet(node, "image", record.image());
        putIfSet(node, "current_version", record.currentVersion());
        putIfSet(node, "latest_version", record.latestVersion());
        putIfSet(node, "status", record.status());
        putIfSet(node, "error", record.error());
        return bytes(node);
    }

    static CheckRecord readCheck(byte[] json, int length) {
        JsonNode node = tree(json, length);
        return new CheckRecord(instant(node, "checked_at"), text(node, "container_name"), text(node, "image"),
                text(node, "current_version"), text(node, "latest_version"), text(node, "status"), text(node, "error"));
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        return text == null ? null : Instant.parse(text);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON for the store", e); // cannot happen for a tree of strings
        }
    }

    private static JsonNode tree(byte[] json, int length) {
        try {
            return MAPPER.readTree(json, 0, length);
        } catch (IOException e) {
            throw new IllegalStateException("stored record is not valid JSON: " + e.getMessage(), e);
        }
    }
}
