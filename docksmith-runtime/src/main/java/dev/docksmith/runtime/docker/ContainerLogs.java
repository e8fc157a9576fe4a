package dev.docksmith.runtime.docker;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.runtime.docker.transport.DockerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code GET /containers/{id}/logs}: stdout and stderr of a container as one text. */
final class ContainerLogs {
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    static final String RAW = "application/vnd.docker.raw-stream";
    /** Since API 1.42 the engine says in Content-Type whether it multiplexed; 1.41 always says raw. */
    private static final ApiVersion TYPED_LOGS = new ApiVersion(1, 42);
    /** The most log text returned at once; older output is dropped (ask with {@code tail} instead). */
    private static final int MAX_BYTES = 16 * 1024 * 1024;
    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

    private final EngineCaller engine;
    private final ContainerCalls containers;

    ContainerLogs(EngineCaller engine, ContainerCalls containers) {
        this.engine = engine;
        this.containers = containers;
    }

    /**
     * The logs, demultiplexed unless the container has a TTY.
     *
     * @param tail  the number of last lines, or null for all
     * @param since RFC 3339 ({@code 2024-01-15T10:00:00Z}) or unix seconds, or null for the beginning
     */
    String logs(String id, Integer tail, String since, boolean timestamps) {
        String action = "reading logs of container " + id;
        if (tail != null && tail < 0) {
            throw new BadRequestException("tail must not be negative: " + tail);
        }
        DockerPaths.Query query = new DockerPaths.Query().flag("stdout", true).flag("stderr", true)
                .add("tail", tail == null ? "all" : tail.toString())
                .add("since", unixSince(since));
        if (timestamps) {
            query.flag("timestamps", true);
        }
        ApiVersion version = engine.apiVersion(action);
        // Before 1.42 only the container's own config tells whether the stream is multiplexed; asking
        // first (rather than while the log response is open) keeps one connection busy at a time.
        Boolean tty = version.atLeast(TYPED_LOGS) ? null : tty(id);
        try (DockerResponse response = engine.open(action,
                engine.request("GET", "/containers/" + DockerPaths.name("container", id) + "/logs" + query))) {
            InputStream body = response.body();
            boolean multiplexed;
            String type = response.mediaType();
            if (type.equals(MULTIPLEXED)) {
                multiplexed = true;
            } else if (type.equals(RAW) && version.atLeast(TYPED_LOGS)) {
                multiplexed = false;
            } else {
                multiplexed = !(tty != null ? tty : tty(id));
            }
            byte[] bytes = multiplexed ? LogFrames.demultiplex(body, MAX_BYTES) : LogFrames.raw(body, MAX_BYTES);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw engine.broken(action, e);
        }
    }

    private boolean tty(String id) {
        return containers.inspect(id).path("Config").path("Tty").asBoolean(false);
    }

    /**
     * The engine's {@code since} is unix seconds (with optional fraction); RFC 3339 is what people and
     * the HTTP API use, so it is converted here. Null or blank means no limit.
     */
    static String unixSince(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        String value = since.trim();
        if (UNIX_SECONDS.matcher(value).matches()) {
            return value;
        }
        try {
            // RFC 3339 also allows a space or lower-case 't'/'z'; ISO-8601 parsing wants 'T' and 'Z'.
            String iso = value.toUpperCase(Locale.ROOT);
            if (iso.length() > 10 && iso.charAt(10) == ' ') {
                iso = iso.substring(0, 10) + 'T' + iso.substring(11);
            }
            Instant instant = OffsetDateTime.parse(iso).toInstant();
            if (instant.getEpochSecond() < 0) {
                throw new BadRequestException("since must not be before 1970: " + since);
            }
            return instant.getNano() == 0 ? Long.toString(instant.getEpochSecond())
                    : String.format(Locale.ROOT, "%d.%09d", instant.getEpochSecond(), instant.getNano());
        } catch (DateTimeException e) {
            throw new BadRequestException("invalid since \"" + since
                    + "\": expected RFC 3339 (2024-01-15T10:00:00Z) or unix seconds");
        }
    }
}
