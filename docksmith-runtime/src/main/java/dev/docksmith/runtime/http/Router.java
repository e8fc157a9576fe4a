package dev.docksmith.runtime.http;

import dev.docksmith.api.NotFoundException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Method + path-template routing. Features register their routes together
 * ({@code router.register(new ContainerRoutes(...))}); a template is literal segments,
 * {@code {name}} and a trailing greedy {@code {name...}}. Literal segments win over parameters,
 * parameters over a greedy tail. An unknown path is 404 {@code NOT_FOUND}; a known path with another
 * method is 405 {@code METHOD_NOT_ALLOWED} with {@code Allow}. HEAD runs the GET handler (the
 * server drops the body); OPTIONS answers 204 with {@code Allow} unless a route handles it.
 * <p>
 * {@link #dispatch(Request)} runs the whole routing and error mapping in memory, so the same tests
 * can run with and without a socket.
 */
public final class Router {
    private record Route(String method, PathTemplate template, Handler handler) {
    }

    /** Shared by a router and its prefixed views. */
    private static final class Table {
        private volatile List<Route> routes = List.of();

        synchronized void add(Route route) {
            for (Route existing : routes) {
                if (existing.method.equals(route.method) && existing.template.sameShape(route.template)) {
                    throw new IllegalStateException("duplicate route " + route.method + " " + route.template
                            + " (already " + existing.method + " " + existing.template + ")");
                }
            }
            List<Route> next = new ArrayList<>(routes);
            next.add(route);
            next.sort((a, b) -> a.template.compareTo(b.template));
            routes = List.copyOf(next);
        }
    }

    private final Table table;
    private final String prefix;

    public Router() {
        this(new Table(), "");
    }

    private Router(Table table, String prefix) {
        this.table = table;
        this.prefix = prefix;
    }

    /** Lets a feature add its routes. */
    public Router register(Routes routes) {
        routes.routing(this);
        return this;
    }

    /** Lets a feature add its routes under {@code prefix} ("/api/containers"). */
    public Router register(String prefix, Routes routes) {
        routes.routing(new Router(table, join(this.prefix, prefix)));
        return this;
    }

    public Router get(String template, Handler handler) {
        return route("GET", template, handler);
    }

    public Router post(String template, Handler handler) {
        return route("POST", template, handler);
    }

    public Router put(String template, Handler handler) {
        return route("PUT", template, handler);
    }

    public Router patch(String template, Handler handler) {
        return route("PATCH", template, handler);
    }

    public Router delete(String template, Handler handler) {
        return route("DELETE", template, handler);
    }

    /** Any method; fails on a duplicate method and template shape or a malformed template. */
    public Router route(String method, String template, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        String full = prefix.isEmpty() ? template : join(prefix, template);
        table.add(new Route(method.toUpperCase(Locale.ROOT), PathTemplate.parse(full), handler));
        return this;
    }

    /** Routes, runs the handler and maps any failure to the error envelope; never throws. */
    public Reply dispatch(Request request) {
        return dispatch(request, r -> { });
    }

    /** As {@link #dispatch(Request)}, running {@code beforeHandler} once a route matched. */
    Reply dispatch(Request request, Consumer<Request> beforeHandler) {
        try {
            String[] segments = PathTemplate.decode(PathTemplate.splitPath(request.path()));
            List<Route> matching = new ArrayList<>();
            List<Map<String, String>> params = new ArrayList<>();
            for (Route route : table.routes) {
                Map<String, String> found = route.template.match(segments);
                if (found != null) {
                    matching.add(route);
                    params.add(found);
                }
            }
            if (matching.isEmpty()) {
                throw new NotFoundException("no route for " + request.method() + " " + request.path());
            }
            int chosen = indexOf(matching, request.method());
            if (chosen < 0 && request.method().equals("HEAD")) {
                chosen = indexOf(matching, "GET");
            }
            if (chosen < 0) {
                String allow = String.join(", ", allowed(matching));
                if (request.method().equals("OPTIONS")) {
                    return Reply.empty(204).header("Allow", allow);
                }
                return Errors.toReply(new HttpException(405, "METHOD_NOT_ALLOWED",
                        request.method() + " is not allowed on " + request.path() + "; allowed: " + allow), request)
                        .header("Allow", allow);
            }
            Request routed = request.withParams(params.get(chosen));
            beforeHandler.accept(routed);
            Object result = matching.get(chosen).handler.handle(routed);
            Reply reply = result instanceof Reply ? (Reply) result : Reply.data(200, result);
            reply.body(); // render now, so a value that cannot be serialised is still a 500 envelope
            return reply;
        } catch (Throwable failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)) {
                throw (VirtualMachineError) failure; // out of memory and the like: nothing sane to answer
            }
            return Errors.toReply(failure, request);
        }
    }

    /** The methods a path accepts (HEAD and OPTIONS included), empty when no template matches it. */
    public Set<String> allowedMethods(String path) {
        String[] segments = PathTemplate.decode(PathTemplate.splitPath(path));
        List<Route> matching = new ArrayList<>();
        for (Route route : table.routes) {
            if (route.template.match(segments) != null) {
                matching.add(route);
            }
        }
        return matching.isEmpty() ? Set.of() : Collections.unmodifiableSet(allowed(matching));
    }

    private static int indexOf(List<Route> routes, String method) {
        for (int i = 0; i < routes.size(); i++) {
            if (routes.get(i).method.equals(method)) {
                return i;
            }
        }
        return -1;
    }

    private static TreeSet<String> allowed(List<Route> routes) {
        TreeSet<String> methods = new TreeSet<>();
        for (Route route : routes) {
            methods.add(route.method);
            if (route.method.equals("GET")) {
                methods.add("HEAD");
            }
        }
        methods.add("OPTIONS");
        return methods;
    }

    private static String join(String base, String path) {
        String left = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String right = path.isEmpty() || path.startsWith("/") ? path : "/" + path;
        return left + right;
    }
}
