package dev.docksmith.runtime.docker.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/** A byte pipe to the engine with a working timeout, whatever carries it (unix socket, TCP, TLS). */
interface RawConnection extends Closeable {
    /** Unbuffered; a read that waits longer than the timeout throws {@link java.net.SocketTimeoutException}. */
    InputStream in();

    /** Unbuffered. */
    OutputStream out();

    /** Applies to every following read (and, where the carrier allows it, write); zero waits forever. */
    void setTimeout(Duration timeout) throws IOException;

    /**
     * True when the peer has closed or sent unexpected bytes while idle, checked without blocking.
     * A pooled connection that fails this check must not carry another request.
     */
    boolean stale();

    /** Closes the connection; safe from another thread, where it ends a blocked read. Never throws. */
    @Override
    void close();
}
