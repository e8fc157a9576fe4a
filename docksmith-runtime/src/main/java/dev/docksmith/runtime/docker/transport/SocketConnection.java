package dev.docksmith.runtime.docker.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TCP connection, plain or TLS. Unlike unix channels, a {@link Socket} has a working
 * {@code setSoTimeout}, so reads time out natively (writes rely on the kernel's buffers, as the
 * requests Docksmith sends are small).
 */
final class SocketConnection implements RawConnection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private SocketConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects (and shakes hands, with TLS) within {@code timeout}; {@code tls} null means plain TCP. */
    static SocketConnection open(String host, int port, SSLContext tls, Duration timeout) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), millis);
            plain.setSoTimeout(millis);
            if (tls == null) {
                return new SocketConnection(plain);
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = secure.getSSLParameters();
            // Check the engine's certificate names this host, as the docker CLI does; trusting the CA
            // alone would accept any engine that CA ever signed.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            return new SocketConnection(secure);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void setTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public boolean stale() {
        if (socket.isClosed()) {
            return true;
        }
        try {
            int previous = socket.getSoTimeout();
            socket.setSoTimeout(1);
            try {
                in.read(); // any outcome but a timeout (EOF, a byte, an error) means unusable
                return true;
            } catch (SocketTimeoutException alive) {
                return false;
            } finally {
                socket.setSoTimeout(previous);
            }
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a broken socket
        }
    }
}
