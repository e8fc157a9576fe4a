package dev.docksmith.registry.v2;

import dev.docksmith.api.RegistryException;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One registry's auth state. Requests go out with no auth until the registry challenges; the challenge
 * is remembered, so later requests (for any repository) carry a token or basic credentials from the
 * start. Tokens are cached per scope until shortly before they expire, and fetched once however many
 * threads want the same one. Credentials are looked up only when a challenge needs them.
 */
final class Authenticator {
    private static final long CREDENTIALS_TTL_NANOS = 5L * 60 * 1_000_000_000;

    private final RegistryEndpoint endpoint;
    private final CredentialStore store;
    private final Clock clock;
    private final ConcurrentHashMap<String, BearerToken> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<BearerToken>> fetching = new ConcurrentHashMap<>();
    private volatile Challenge challenge;
    private volatile Found found;

    /** Credentials as last looked up, with their basic header built once. */
    private record Found(Optional<Credentials> credentials, String basicHeader, long atNanos) {
    }

    Authenticator(RegistryEndpoint endpoint, CredentialStore store, Clock clock) {
        this.endpoint = endpoint;
        this.store = store;
        this.clock = clock;
    }

    /** The {@code Authorization} header to send for a call, or null while the registry has not asked for any. */
    String authorization(Call call, RegistryTransport transport) {
        Challenge c = challenge;
        if (c == null || call.scope() == null) {
            return null;
        }
        if (c.isBasic()) {
            return credentials().basicHeader();
        }
        return token(c, call.scope(), call, transport).header();
    }

    /**
     * Reacts to a {@code 401}: learns the challenge and gets what it asks for.
     *
     * @param sent the {@code Authorization} the refused request carried, or null
     * @return true when sending again can succeed
     */
    boolean unauthorized(Call call, HttpResponse<?> response, String sent, RegistryTransport transport) {
        Challenge c = Challenge.pick(response.headers().allValues("WWW-Authenticate"));
        if (c == null || call.scope() == null) {
            return false;
        }
        challenge = c;
        if (c.isBasic()) {
            String header = credentials().basicHeader();
            return header != null && !header.equals(sent);
        }
        BearerToken old = tokens.get(call.scope());
        if (old != null && old.header().equals(sent)) {
            tokens.remove(call.scope(), old);
        }
        BearerToken fresh = token(c, call.scope(), call, transport);
        return !fresh.header().equals(sent);
    }

    /** Words to add to a 401/403 failure so the user knows where to look. */
    String hint(int status) {
        // A 403 from a registry that never asked for auth is about something else than credentials.
        if (status != 401 && (status != 403 || challenge == null)) {
            return "";
        }
        Found f = found;
        if (f == null || f.credentials().isEmpty()) {
            // With tokens, anonymous access is refused both for private and for missing repositories.
            Challenge c = challenge;
            return " (no credentials for " + endpoint.registry() + " in " + store.describe()
                    + (c != null && c.isBearer() ? "; the repository is private or does not exist" : "") + ")";
        }
        return " (the credentials for " + endpoint.registry() + " from " + store.describe() + " were refused)";
    }

    Optional<Credentials> currentCredentials() {
        return credentials().credentials();
    }

    private BearerToken token(Challenge c, String scope, Call call, RegistryTransport transport) {
        long now = clock.millis();
        BearerToken cached = tokens.get(scope);
        if (cached != null && cached.validAt(now)) {
            return cached;
        }
        CompletableFuture<BearerToken> mine = new CompletableFuture<>();
        CompletableFuture<BearerToken> running = fetching.putIfAbsent(scope, mine);
        if (running != null) {
            return await(running);
        }
        try {
            cached = tokens.get(scope);
            BearerToken token = cached != null && cached.validAt(clock.millis()) ? cached : fetch(c, scope, call, transport);
            tokens.put(scope, token);
            mine.complete(token);
            return token;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            fetching.remove(scope, mine);
        }
    }

    private BearerToken fetch(Challenge c, String scope, Call call, RegistryTransport transport) {
        Found f = credentials();
        // The challenge names the scope it wants when it was for this very request; otherwise ask for the call's own.
        String wanted = c.scope() != null && sameRepository(c.scope(), scope) ? c.scope() : scope;
        try {
            return TokenCall.fetch(transport, c, wanted, f.credentials(), call.subject(), clock.millis());
        } catch (RegistryException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new RegistryException(e.status(), e.getMessage() + hint(e.status()), e);
            }
            throw e;
        }
    }

    /** True when a challenge's scope ({@code repository:x/y:pull}, maybe several) is about the call's repository. */
    private static boolean sameRepository(String challengeScope, String callScope) {
        String repository = repositoryOf(callScope);
        for (String s : challengeScope.split(" ")) {
            if (repositoryOf(s).equals(repository)) {
                return true;
            }
        }
        return false;
    }

    private static String repositoryOf(String scope) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        return first >= 0 && last > first ? scope.substring(first + 1, last) : scope;
    }

    private Found credentials() {
        Found f = found;
        long now = System.nanoTime();
        if (f != null && now - f.atNanos() < CREDENTIALS_TTL_NANOS) {
            return f;
        }
        synchronized (this) {
            f = found;
            if (f == null || System.nanoTime() - f.atNanos() >= CREDENTIALS_TTL_NANOS) {
                Optional<Credentials> creds = store.find(endpoint.registry());
                f = new Found(creds, creds.filter(Credentials::isBasic).map(Credentials::basicHeader).orElse(null), System.nanoTime());
                found = f;
            }
            return f;
        }
    }

    private static BearerToken await(CompletableFuture<BearerToken> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RegistryException re) {
                throw new RegistryException(re.status(), re.getMessage(), re);
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
