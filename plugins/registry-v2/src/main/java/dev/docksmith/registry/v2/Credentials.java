package dev.docksmith.registry.v2;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A login for a registry: a username and password (or token used as one), or an identity token
 * (an OAuth refresh token, as {@code docker login} stores for some registries).
 */
public record Credentials(String username, String password, String identityToken) {

    public static Credentials basic(String username, String password) {
        return new Credentials(username, password, null);
    }

    public static Credentials identityToken(String token) {
        return new Credentials(null, null, token);
    }

    /** True when this is a username and password rather than an identity token. */
    public boolean isBasic() {
        return identityToken == null || identityToken.isEmpty();
    }

    /** The {@code Authorization} header value for basic auth. */
    public String basicHeader() {
        String pair = (username == null ? "" : username) + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return isBasic() ? "Credentials[username=" + username + ", password=***]" : "Credentials[identityToken=***]";
    }
}
