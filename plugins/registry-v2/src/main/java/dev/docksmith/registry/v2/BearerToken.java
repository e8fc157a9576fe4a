package dev.docksmith.registry.v2;

/**
 * A token and when to stop using it.
 *
 * @param header          the whole {@code Authorization} value, built once
 * @param expiresAtMillis clock millis after which a new token is fetched
 */
record BearerToken(String header, long expiresAtMillis) {
    /** What a token endpoint that says nothing about expiry is assumed to give. */
    static final long DEFAULT_LIFETIME_SECONDS = 60;

    /** Expires a margin before the endpoint says: a tenth of the lifetime, between 1 and 30 seconds. */
    static BearerToken of(String token, long expiresInSeconds, long nowMillis) {
        long lifetime = (expiresInSeconds > 0 ? expiresInSeconds : DEFAULT_LIFETIME_SECONDS) * 1000;
        long margin = Math.max(1000, Math.min(30_000, lifetime / 10));
        return new BearerToken("Bearer " + token, nowMillis + lifetime - margin);
    }

    boolean validAt(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }
}
