package dev.docksmith.registry.v2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.docksmith.api.ImageRef;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v2/<repo>/tags/list?n=1000}, following {@code Link: <...>; rel="next"} (relative or
 * absolute) to the last page.
 */
final class TagsListCall {
    static final String ACTION = "listing tags of";
    static final int PAGE_SIZE = 1000;
    private static final int MAX_PAGES = 1000;
    private static final JsonFactory JSON = new JsonFactory();

    private TagsListCall() {
    }

    static List<String> list(RegistryTransport transport, Authenticator auth, RegistryEndpoint endpoint, ImageRef repository) {
        String subject = repository.repositoryName();
        String scope = scope(repository);
        URI uri = endpoint.resolve("/v2/" + repository.repository() + "/tags/list?n=" + PAGE_SIZE);
        List<String> tags = new ArrayList<>();
        for (int page = 0; uri != null; page++) {
            if (page == MAX_PAGES) {
                throw RegistryErrors.badAnswer(ACTION, subject, 200, "more than " + MAX_PAGES + " pages");
            }
            HttpResponse<byte[]> response = transport.send(
                    Call.get(uri, "application/json", ACTION, subject, scope, Call.Missing.NOT_FOUND), auth);
            parse(response.body(), tags, subject);
            URI next = next(response, uri);
            uri = next == null || next.equals(uri) ? null : next;
        }
        return Collections.unmodifiableList(tags);
    }

    /** The pull scope of a repository, the unit tokens are cached by. */
    static String scope(ImageRef repository) {
        return "repository:" + repository.repository() + ":pull";
    }

    /** Adds the {@code tags} of one page ({@code null} when the repository has none). */
    static void parse(byte[] body, List<String> into, String subject) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("tags") && value == JsonToken.START_ARRAY) {
                    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                        if (t == JsonToken.VALUE_STRING) {
                            into.add(p.getText());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw RegistryErrors.badAnswer(ACTION, subject, 200, "the answer is not a tag list (" + e.getMessage() + ")");
        }
    }

    /** The {@code rel="next"} target of the {@code Link} header, resolved against the page's URI; null on the last page. */
    static URI next(HttpResponse<?> response, URI current) {
        for (String header : response.headers().allValues("Link")) {
            Optional<String> target = nextTarget(header);
            if (target.isPresent()) {
                return current.resolve(target.get());
            }
        }
        return null;
    }

    static Optional<String> nextTarget(String header) {
        int i = 0;
        while (true) {
            int open = header.indexOf('<', i);
            if (open < 0) {
                return Optional.empty();
            }
            int close = header.indexOf('>', open);
            if (close < 0) {
                return Optional.empty();
            }
            int end = header.indexOf('<', close);
            String params = header.substring(close + 1, end < 0 ? header.length() : end).replace(" ", "").replace("\"", "");
            for (String p : params.split("[;,]")) {
                if (p.regionMatches(true, 0, "rel=", 0, 4) && List.of(p.substring(4).split(" ")).contains("next")) {
                    return Optional.of(header.substring(open + 1, close).trim());
                }
            }
            i = close;
        }
    }
}
