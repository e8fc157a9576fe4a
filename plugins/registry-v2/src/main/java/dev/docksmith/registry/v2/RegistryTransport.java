package dev.docksmith.registry.v2;

import dev.docksmith.api.RegistryException;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one caller every request to a registry goes through: bounded concurrency, a timeout on each
 * exchange, the auth retry after a {@code 401}, {@code Retry-After} on {@code 429}, backoff on
 * {@code 5xx} and network failures, fail-fast for a while once the registry proved unreachable, and
 * {@link RegistryErrors} for anything that is not a success.
 */
final class RegistryTransport {
    static final String USER_AGENT = "docksmith/"
            + Objects.requireNonNullElse(RegistryTransport.class.getPackage().getImplementationVersion(), "dev");
    private static final System.Logger LOG = System.getLogger(RegistryTransport.class.getName());

    private final RegistryEndpoint endpoint;
    private final RegistryConfig config;
    private final Http http;
    private final Semaphore permits;
    private final Consumer<HttpResponse<?>> listener;
    private volatile long unreachableUntilNanos;
    private volatile String unreachableWhy;
    private volatile long pausedUntilNanos;

    RegistryTransport(RegistryEndpoint endpoint, RegistryConfig config, Http http, Consumer<HttpResponse<?>> listener) {
        this.endpoint = endpoint;
        this.config = config;
        this.http = http;
        this.permits = new Semaphore(config.concurrency());
        this.listener = listener;
    }

    /**
     * Sends the call until it succeeds or there is no point trying again.
     *
     * @param auth the registry's auth, or null for calls it does not apply to (token endpoints)
     * @return a 2xx answer, or a 404 when the call treats missing as empty
     */
    HttpResponse<byte[]> send(Call call, Authenticator auth) {
        boolean reauthenticated = false;
        int tries = 0;
        while (true) {
            failFastWhileUnreachable(call);
            String authorization = call.authorization() != null ? call.authorization()
                    : auth != null ? auth.authorization(call, this) : null;
            HttpResponse<byte[]> response;
            try {
                response = exchange(call, authorization);
            } catch (IOException e) {
                tries++;
                if (tries >= config.attempts()) {
                    throw unreachable(call, e);
                }
                LOG.log(System.Logger.Level.DEBUG, () -> call.action() + " " + call.subject() + ": "
                        + RegistryErrors.describe(e) + ", trying again");
                pause(backoffMillis(tries), call);
                continue;
            }
            if (unreachableUntilNanos != 0) {
                unreachableUntilNanos = 0;
            }
            listener.accept(response);
            int status = response.statusCode();
            if (status == 401 && auth != null && !reauthenticated && auth.unauthorized(call, response, authorization, this)) {
                reauthenticated = true;
                continue;
            }
            String hint = "";
            if (status == 429 || (status >= 500 && status != 501 && status != 505)) {
                tries++;
                long wait = status == 429 ? retryAfterMillis(response) : -1;
                if (wait < 0) {
                    wait = backoffMillis(tries);
                }
                if (tries < config.attempts() && wait <= config.retryAfterCap().toMillis()) {
                    if (status == 429) {
                        pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
                    }
                    long w = wait;
                    LOG.log(System.Logger.Level.DEBUG, () -> call.action() + " " + call.subject() + ": " + status
                            + ", trying again in " + w + " ms");
                    pause(wait, call);
                    continue;
                }
                if (status == 429 && wait > config.retryAfterCap().toMillis()) {
                    hint = " (the registry asks to wait " + (wait + 999) / 1000 + " s)";
                }
            }
            if (status / 100 == 2 || (status == 404 && call.missing() == Call.Missing.EMPTY)) {
                return response;
            }
            if (auth != null) {
                hint += auth.hint(status);
            }
            throw RegistryErrors.failure(call, response, hint);
        }
    }

    private HttpResponse<byte[]> exchange(Call call, String authorization) throws IOException {
        List<String> headers = new ArrayList<>(6);
        if (call.accept() != null) {
            headers.add("Accept");
            headers.add(call.accept());
        }
        if (authorization != null) {
            headers.add("Authorization");
            headers.add(authorization);
        }
        byte[] body = null;
        if (call.form() != null) {
            headers.add("Content-Type");
            headers.add("application/x-www-form-urlencoded");
            body = call.form().getBytes(StandardCharsets.UTF_8);
        }
        Http.Request request = new Http.Request(call.method(), call.uri(), headers, body, config.timeout());
        long paused = pausedUntilNanos - System.nanoTime();
        if (paused > 0) {
            pause(TimeUnit.NANOSECONDS.toMillis(paused) + 1, call);
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryErrors.interrupted(call);
        }
        try {
            // Blocking on this thread; the request's timeout bounds every wait and the exchange as a whole.
            return http.send(request);
        } finally {
            permits.release();
        }
    }

    private void failFastWhileUnreachable(Call call) {
        long until = unreachableUntilNanos;
        if (until != 0 && System.nanoTime() - until < 0) {
            throw RegistryErrors.stillUnreachable(call, endpoint, unreachableWhy);
        }
    }

    private RegistryException unreachable(Call call, Exception cause) {
        if (!config.unreachableFor().isZero()) {
            unreachableWhy = RegistryErrors.describe(cause);
            unreachableUntilNanos = System.nanoTime() + config.unreachableFor().toNanos();
        }
        return RegistryErrors.unreachable(call, endpoint, cause);
    }

    private long backoffMillis(int tries) {
        long base = config.backoff().toMillis() << Math.min(tries - 1, 10);
        return (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }

    /** {@code Retry-After} in milliseconds (seconds or an HTTP date), or -1 when absent or unreadable. */
    private long retryAfterMillis(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").map(String::trim).orElse("");
        if (value.isEmpty()) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(value) * 1000);
        } catch (NumberFormatException e) {
            try {
                long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.max(0, at - config.clock().millis());
            } catch (DateTimeParseException dateError) {
                return -1;
            }
        }
    }

    private static void pause(long millis, Call call) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryErrors.interrupted(call);
        }
    }

    /** Exposed for tests: requests that may be in flight at once. */
    int availablePermits() {
        return permits.availablePermits();
    }

    Duration timeout() {
        return config.timeout();
    }
}
