package dev.docksmith.registry.v2;

import java.net.URI;

/**
 * One request to send, immutable, with what it is for: {@code action} and {@code subject} make the
 * message of any failure ("listing tags of ghcr.io/x/y: 401 ...").
 *
 * @param method        {@code GET}, {@code HEAD} or {@code POST}
 * @param accept        the {@code Accept} header, or null
 * @param scope         the token scope the registry's auth applies with ({@code repository:x/y:pull}), or null
 *                      when the registry's auth does not apply (token endpoints, other APIs)
 * @param authorization a fixed {@code Authorization} header (token endpoints), or null
 * @param form          a form body to {@code POST}, or null
 * @param missing       what a {@code 404} means
 */
record Call(String method, URI uri, String accept, String action, String subject, String scope,
            String authorization, String form, Missing missing) {

    /** What a {@code 404} answer means for this call. */
    enum Missing {
        /** the caller returns empty: an unknown tag */
        EMPTY,
        /** {@link dev.docksmith.api.NotFoundException}: an unknown repository */
        NOT_FOUND,
        /** a {@link dev.docksmith.api.RegistryException} like any other failure */
        ERROR
    }

    static Call get(URI uri, String accept, String action, String subject, String scope, Missing missing) {
        return new Call("GET", uri, accept, action, subject, scope, null, null, missing);
    }
}
