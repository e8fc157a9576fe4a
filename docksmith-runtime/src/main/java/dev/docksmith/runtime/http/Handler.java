package dev.docksmith.runtime.http;

/**
 * Answers one route. Return a plain object for {@code 200 {"success":true,"data":<object>}}, or a
 * {@link Reply} for anything else (another status, a raw body, text, an event stream). Throw the
 * {@code dev.docksmith.api} exceptions (or {@link HttpException}) for errors: they are mapped to
 * statuses in one place.
 */
@FunctionalInterface
public interface Handler {
    Object handle(Request request) throws Exception;
}
