package dev.docksmith.registry.v2;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection, used by one thread at a time: the caller writes the request and reads the
 * answer itself, so there is no hand-off to selector or executor threads. Timeouts are socket read
 * timeouts, re-armed before each read so that an exchange also ends at its overall deadline.
 */
final class HttpConnection implements AutoCloseable {
    private final String key;
    private final Socket socket;
    private final CountingInput counting;
    private final InputStream in;
    private final OutputStream out;
    private final boolean tls;
    private long idleSinceNanos;
    private boolean reused;

    private HttpConnection(String key, Socket socket, boolean tls) throws IOException {
        this.key = key;
        this.socket = socket;
        this.tls = tls;
        this.counting = new CountingInput(socket.getInputStream());
        this.in = new BufferedInputStream(counting, 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 4 * 1024);
    }

    /** The pool key of a URI: connections are only shared between requests to the same scheme, host and port. */
    static String key(URI uri) {
        return uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + ":" + port(uri);
    }

    static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Connects (and for https shakes hands, checking the certificate against the host name) within the timeout. */
    static HttpConnection open(URI uri, int timeoutMillis) throws IOException {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = port(uri);
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true); // requests are written in one flush; no reason to wait for ACKs
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            if (!"https".equalsIgnoreCase(uri.getScheme())) {
                return new HttpConnection(key(uri), plain, false);
            }
            SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            return new HttpConnection(key(uri), ssl, true);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    String key() {
        return key;
    }

    /** True once the connection came back from the pool: it may have been closed by the server meanwhile. */
    boolean reused() {
        return reused;
    }

    void markIdle() {
        reused = true;
        idleSinceNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - idleSinceNanos;
    }

    /** Bytes of the current answer received so far; zero means the server said nothing at all. */
    long received() {
        return counting.count;
    }

    javax.net.ssl.SSLSession sslSession() {
        return tls ? ((SSLSocket) socket).getSession() : null;
    }

    /** Writes the request head (and body) in one flush, and starts the clock for the answer. */
    void write(String head, byte[] body, int readTimeoutMillis, long deadlineNanos) throws IOException {
        counting.count = 0;
        counting.readTimeoutMillis = readTimeoutMillis;
        counting.deadlineNanos = deadlineNanos;
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do about a socket that will not close
        }
    }

    /** Counts what arrives and bounds each read by the read timeout and by what is left until the deadline. */
    private final class CountingInput extends FilterInputStream {
        long count;
        int readTimeoutMillis;
        long deadlineNanos;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("Read timed out");
            }
            int timeout = (int) Math.min(readTimeoutMillis, left);
            if (socket.getSoTimeout() != timeout) {
                socket.setSoTimeout(timeout);
            }
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
