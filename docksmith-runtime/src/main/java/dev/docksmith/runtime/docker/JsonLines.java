package dev.docksmith.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docksmith.runtime.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Newline-delimited JSON, as the engine streams events and pull progress. Each line is handed over as
 * soon as it arrives, which is the point of a stream (a whole-body parser would wait for the end).
 */
final class JsonLines {
    private JsonLines() {
    }

    /** Calls {@code consumer} for every JSON line until the stream ends; blank lines are skipped. */
    static void forEach(InputStream in, Consumer<JsonNode> consumer) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.parse(line.getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IOException("the engine streamed " + e.getMessage(), e);
            }
            consumer.accept(node);
        }
    }
}
