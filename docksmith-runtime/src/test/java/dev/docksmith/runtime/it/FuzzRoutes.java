package dev.docksmith.runtime.it;

import dev.docksmith.runtime.Docksmith;
import dev.docksmith.runtime.http.Router;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes a running {@link Docksmith} serves, read from its own {@link Router} (so a route added
 * tomorrow is fuzzed without touching {@link FuzzIT}), a model of how the router dispatches a path
 * (checked against {@link Router#allowedMethods(String)} on every request), and what {@link FuzzIT}
 * knows about each route's inputs ({@link #SPECS}). A route without a spec is still fuzzed, with
 * names that cannot resolve and inputs every route must refuse.
 */
final class FuzzRoutes {
    enum Kind { LITERAL, PARAM, GREEDY }

    record Segment(Kind kind, String text) {
    }

    /** One registered route. */
    record Route(String method, String template, List<Segment> segments) {
        String key() {
            return method + " " + template;
        }

        /** GET routes read; every other method is treated as changing state. */
        boolean readOnly() {
            return method.equals("GET");
        }

        List<String> params() {
            return segments.stream().filter(s -> s.kind != Kind.LITERAL).map(Segment::text).toList();
        }

        static Route parse(String method, String template) {
            List<Segment> segments = new ArrayList<>();
            for (String part : split(template)) {
                if (part.startsWith("{") && part.endsWith("...}")) {
                    segments.add(new Segment(Kind.GREEDY, part.substring(1, part.length() - 4)));
                } else if (part.startsWith("{") && part.endsWith("}")) {
                    segments.add(new Segment(Kind.PARAM, part.substring(1, part.length() - 1)));
                } else {
                    segments.add(new Segment(Kind.LITERAL, part));
                }
            }
            return new Route(method, template, List.copyOf(segments));
        }

        /** The decoded parameters when {@code decoded} matches, else null (PathTemplate's rules). */
        Map<String, String> match(String[] decoded) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                Segment s = segments.get(i);
                if (s.kind == Kind.GREEDY) {
                    if (i >= decoded.length) {
                        return null;
                    }
                    String rest = String.join("/", java.util.Arrays.copyOfRange(decoded, i, decoded.length));
                    if (rest.isEmpty()) {
                        return null;
                    }
                    params.put(s.text, rest);
                    return params;
                }
                if (i >= decoded.length) {
                    return null;
                }
                if (s.kind == Kind.LITERAL) {
                    if (!s.text.equals(decoded[i])) {
                        return null;
                    }
                } else {
                    if (decoded[i].isEmpty()) {
                        return null;
                    }
                    params.put(s.text, decoded[i]);
                }
            }
            return segments.size() == decoded.length ? params : null;
        }
    }

    /** Where the router sends a request: the route and its decoded path parameters. */
    record Dispatch(Route route, Map<String, String> params) {
    }

    // ---- what the fuzzer knows about each route's inputs ----

    /** What a path parameter names, so real names can be put in it. */
    enum ParamKind { CONTAINER, STACK, IMAGE, NETWORK, VOLUME, OPERATION, UNKNOWN }

    /** How a known query parameter is validated. */
    enum QueryType { INT, BOOL, TAIL, SINCE, STATUS, TEXT }

    /** A known body field's type. */
    enum FieldType { CONTAINER, VERSION, SCRIPT, BOOL, CONTAINERS, LABEL_MAP, LABEL_LIST, OPERATION }

    record BodyField(String name, List<String> aliases, FieldType type, boolean required) {
    }

    /**
     * A route's inputs. {@code body} non-empty means the route reads a JSON object; {@code cost} 1
     * is a normal request, more for routes that check every container or wait on the engine (they
     * are drawn less often after the coverage pass); {@code batch} marks the route that answers 200
     * with per-container failures.
     */
    record Spec(Map<String, ParamKind> params, Map<String, QueryType> query, List<BodyField> body, int cost, boolean batch) {
        static Spec of() {
            return new Spec(Map.of(), Map.of(), List.of(), 1, false);
        }

        static Spec path(String param, ParamKind kind) {
            return new Spec(Map.of(param, kind), Map.of(), List.of(), 1, false);
        }

        Spec query(Map<String, QueryType> q) {
            return new Spec(params, q, body, cost, batch);
        }

        Spec body(BodyField... fields) {
            return new Spec(params, query, List.of(fields), cost, batch);
        }

        Spec cost(int c) {
            return new Spec(params, query, body, c, batch);
        }

        Spec asBatch() {
            return new Spec(params, query, body, cost, true);
        }

        boolean readsBody() {
            return !body.isEmpty();
        }
    }

    private static BodyField req(String name, FieldType type, String... aliases) {
        return new BodyField(name, List.of(aliases), type, true);
    }

    private static BodyField opt(String name, FieldType type, String... aliases) {
        return new BodyField(name, List.of(aliases), type, false);
    }

    /** Known routes (README's table). Every key must be a registered route: {@code FuzzIT} checks it. */
    static final Map<String, Spec> SPECS;

    static {
        Map<String, Spec> m = new LinkedHashMap<>();
        ParamKind c = ParamKind.CONTAINER;
        m.put("GET /api/health", Spec.of());
        m.put("GET /api/status", Spec.of());
        m.put("GET /api/docker-config", Spec.of());
        m.put("GET /api/check", Spec.of().cost(10));
        m.put("POST /api/trigger-check", Spec.of());
        m.put("GET /api/container/{name}/recheck", Spec.path("name", c).cost(3));
        m.put("GET /api/registry/tags/{image...}", Spec.path("image", ParamKind.IMAGE).cost(3));
        m.put("GET /api/history", Spec.of().query(Map.of("container", QueryType.TEXT, "limit", QueryType.INT, "type", QueryType.TEXT)));
        m.put("GET /api/scripts", Spec.of());
        m.put("GET /api/scripts/assigned", Spec.of());
        m.put("POST /api/scripts/assign", Spec.of().body(req("container", FieldType.CONTAINER, "container_name"),
                req("script", FieldType.SCRIPT, "script_path", "script_name")));
        m.put("DELETE /api/scripts/assign/{container}", Spec.path("container", c));
        m.put("GET /api/explorer", Spec.of().cost(2));
        m.put("GET /api/images", Spec.of());
        m.put("GET /api/networks", Spec.of());
        m.put("GET /api/volumes", Spec.of());
        m.put("DELETE /api/images/{id...}", Spec.path("id", ParamKind.IMAGE).query(Map.of("force", QueryType.BOOL)));
        m.put("DELETE /api/networks/{id}", Spec.path("id", ParamKind.NETWORK));
        m.put("DELETE /api/volumes/{name}", Spec.path("name", ParamKind.VOLUME).query(Map.of("force", QueryType.BOOL)));
        m.put("GET /api/containers/{name}/logs", Spec.path("name", c)
                .query(Map.of("tail", QueryType.TAIL, "since", QueryType.SINCE, "timestamps", QueryType.BOOL)));
        m.put("GET /api/containers/{name}/inspect", Spec.path("name", c));
        m.put("GET /api/containers/{name}/stats", Spec.path("name", c).cost(5));
        m.put("POST /api/containers/{name}/stop", Spec.path("name", c).query(Map.of("timeout", QueryType.INT)));
        m.put("POST /api/containers/{name}/start", Spec.path("name", c));
        m.put("POST /api/containers/{name}/restart", Spec.path("name", c));
        m.put("DELETE /api/containers/{name}", Spec.path("name", c).query(Map.of("force", QueryType.BOOL, "volumes", QueryType.BOOL)));
        for (String kind : List.of("containers", "images", "networks", "volumes", "system")) {
            m.put("POST /api/prune/" + kind, Spec.of().query(Map.of("all", QueryType.BOOL)));
        }
        m.put("POST /api/restart", Spec.of().body(req("container", FieldType.CONTAINER, "container_name", "name")));
        m.put("POST /api/restart/container/{name}", Spec.path("name", c));
        m.put("POST /api/restart/stack/{name}", Spec.path("name", ParamKind.STACK));
        m.put("POST /api/restart/start/{name}", Spec.path("name", c));
        m.put("POST /api/update", Spec.of().body(req("container", FieldType.CONTAINER, "container_name"),
                opt("version", FieldType.VERSION, "target_version"), opt("script", FieldType.SCRIPT, "script_path"),
                opt("force", FieldType.BOOL)));
        m.put("POST /api/update/batch", Spec.of().body(req("containers", FieldType.CONTAINERS, "container_names"),
                opt("force", FieldType.BOOL)).asBatch());
        m.put("POST /api/rollback", Spec.of().body(req("operation_id", FieldType.OPERATION)));
        m.put("POST /api/fix-compose-mismatch/{name}", Spec.path("name", c));
        m.put("GET /api/policies", Spec.of());
        m.put("GET /api/labels/{container}", Spec.path("container", c));
        m.put("POST /api/labels/set", Spec.of().body(req("container", FieldType.CONTAINER, "container_name"),
                req("labels", FieldType.LABEL_MAP)));
        m.put("POST /api/labels/remove", Spec.of().body(req("container", FieldType.CONTAINER, "container_name"),
                req("labels", FieldType.LABEL_LIST, "label_names")));
        m.put("GET /api/operations", Spec.of().query(Map.of("container", QueryType.TEXT, "status", QueryType.STATUS,
                "type", QueryType.TEXT, "limit", QueryType.INT)));
        m.put("GET /api/operations/{id}", Spec.path("id", ParamKind.OPERATION));
        m.put("GET /api/events", Spec.of());
        SPECS = java.util.Collections.unmodifiableMap(m);
    }

    /** The spec of a route; one without a spec gets an empty one whose parameters name nothing known. */
    static Spec specOf(Route route) {
        Spec spec = SPECS.get(route.key());
        if (spec != null) {
            return spec;
        }
        Map<String, ParamKind> params = new LinkedHashMap<>();
        route.params().forEach(p -> params.put(p, ParamKind.UNKNOWN));
        return new Spec(params, Map.of(), List.of(), 1, false);
    }

    // ---- reading the router ----

    private FuzzRoutes() {
    }

    /** The router of a started Docksmith that serves HTTP (reflection: there is no public accessor). */
    static Router routerOf(Docksmith docksmith) {
        try {
            Object running = field(docksmith, "running");
            Method httpApi = running.getClass().getDeclaredMethod("httpApi");
            httpApi.setAccessible(true);
            return (Router) field(field(httpApi.invoke(running), "pipeline"), "router");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new AssertionError("FuzzRoutes cannot reach the router of a running Docksmith (Docksmith.running.httpApi().pipeline.router);"
                    + " the runtime's fields changed, update FuzzRoutes.routerOf: " + e, e);
        }
    }

    /** Every route registered on {@code router}, in its dispatch order (most specific first). */
    static List<Route> registered(Router router) {
        try {
            Object table = field(router, "table");
            List<?> routes = (List<?>) field(table, "routes");
            List<Route> out = new ArrayList<>();
            for (Object r : routes) {
                String method = null;
                String template = null;
                for (RecordComponent rc : r.getClass().getRecordComponents()) {
                    Method accessor = rc.getAccessor();
                    accessor.setAccessible(true);
                    if (rc.getName().equals("method")) {
                        method = (String) accessor.invoke(r);
                    } else if (rc.getName().equals("template")) {
                        template = String.valueOf(accessor.invoke(r));
                    }
                }
                if (method == null || template == null) {
                    throw new IllegalStateException("route record without method/template: " + r);
                }
                out.add(Route.parse(method, template));
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("the router has no routes");
            }
            return List.copyOf(out);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new AssertionError("FuzzRoutes cannot list the router's routes (Router.table.routes of records (method, template));"
                    + " the router changed, update FuzzRoutes.registered: " + e, e);
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        Object value = f.get(target);
        if (value == null) {
            throw new IllegalStateException(target.getClass().getSimpleName() + "." + name + " is null (not started?)");
        }
        return value;
    }

    // ---- dispatch model ----

    static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** The decoded segments of a raw path, or empty when a segment is malformed (the server answers 400). */
    static Optional<String[]> decode(String rawPath) {
        String[] raw = split(rawPath);
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            try {
                out[i] = raw[i].indexOf('%') < 0 ? raw[i] : URLDecoder.decode(raw[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    /** The methods a path accepts (HEAD with GET, OPTIONS always), empty when no route matches. */
    static Set<String> allowed(List<Route> routes, String rawPath) {
        Set<String> methods = new TreeSet<>();
        Optional<String[]> decoded = decode(rawPath);
        if (decoded.isEmpty()) {
            return methods;
        }
        for (Route r : routes) {
            if (r.match(decoded.get()) != null) {
                methods.add(r.method);
                if (r.method.equals("GET")) {
                    methods.add("HEAD");
                }
            }
        }
        if (!methods.isEmpty()) {
            methods.add("OPTIONS");
        }
        return methods;
    }

    /** The route a request runs, or empty when it gets 400 (malformed path), 404 or 405 (or OPTIONS' 204). */
    static Optional<Dispatch> dispatch(List<Route> routes, String method, String rawPath) {
        Optional<String[]> decoded = decode(rawPath);
        if (decoded.isEmpty()) {
            return Optional.empty();
        }
        Dispatch get = null;
        for (Route r : routes) {
            Map<String, String> params = r.match(decoded.get());
            if (params == null) {
                continue;
            }
            if (r.method.equals(method)) {
                return Optional.of(new Dispatch(r, params));
            }
            if (get == null && r.method.equals("GET")) {
                get = new Dispatch(r, params);
            }
        }
        return method.equals("HEAD") ? Optional.ofNullable(get) : Optional.empty();
    }
}
