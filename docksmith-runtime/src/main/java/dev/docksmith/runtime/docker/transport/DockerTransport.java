package dev.docksmith.runtime.docker.transport;

import java.io.Closeable;
import java.io.IOException;

/**
 * The seam between the engine API and the bytes on the wire (docker-java's {@code DockerHttpClient}):
 * {@link HttpTransport} speaks HTTP/1.1 over a unix socket or TCP; tests may answer from memory.
 * Any status is a normal answer; only an engine that cannot be reached or that breaks off is an
 * {@link IOException}.
 */
public interface DockerTransport extends Closeable {
    /** Sends the request; the caller must close the response. */
    DockerResponse execute(DockerRequest request) throws IOException;

    /** Where the engine is, as a URI for messages ({@code unix:///var/run/docker.sock}). */
    String endpoint();

    /**
     * Drops every idle pooled connection. Called after a failure, because when the engine restarts
     * every connection to the old process is dead.
     */
    default void evictIdle() {
    }

    /** Closes pooled connections; streaming responses already handed out stay the caller's to close. */
    @Override
    void close();
}
