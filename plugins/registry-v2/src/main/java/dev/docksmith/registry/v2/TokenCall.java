package dev.docksmith.registry.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The token endpoint named by a Bearer challenge's realm: {@code GET realm?service=..&scope=..},
 * anonymous or with basic credentials, or the OAuth form {@code POST} for an identity token.
 */
final class TokenCall {
    static final String ACTION = "fetching a token for";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenCall() {
    }

    static BearerToken fetch(RegistryTransport transport, Challenge challenge, String scope, Optional<Credentials> credentials,
                             String subject, long nowMillis) {
        StringBuilder query = new StringBuilder();
        if (challenge.service() != null) {
            param(query, "service", challenge.service());
        }
        for (String s : scope.split(" ")) {
            if (!s.isBlank()) {
                param(query, "scope", s);
            }
        }
        Call call;
        URI realm = URI.create(challenge.realm());
        if (credentials.isPresent() && !credentials.get().isBasic()) {
            StringBuilder form = new StringBuilder(query);
            param(form, "grant_type", "refresh_token");
            param(form, "client_id", "docksmith");
            param(form, "refresh_token", credentials.get().identityToken());
            call = new Call("POST", realm, "application/json", ACTION, subject, null, null, form.toString(), Call.Missing.ERROR);
        } else {
            String sep = challenge.realm().contains("?") ? "&" : "?";
            URI uri = URI.create(challenge.realm() + (query.length() == 0 ? "" : sep + query));
            call = new Call("GET", uri, "application/json", ACTION, subject, null,
                    credentials.map(Credentials::basicHeader).orElse(null), null, Call.Missing.ERROR);
        }
        HttpResponse<byte[]> response = transport.send(call, null);
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw RegistryErrors.badAnswer(ACTION, subject, response.statusCode(), realm + " did not answer JSON");
        }
        String token = body.path("token").asText("");
        if (token.isEmpty()) {
            token = body.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw RegistryErrors.badAnswer(ACTION, subject, response.statusCode(), realm + " answered no token");
        }
        return BearerToken.of(token, body.path("expires_in").asLong(0), nowMillis);
    }

    private static void param(StringBuilder query, String name, String value) {
        if (query.length() > 0) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
