package dev.docksmith.runtime.it;

import dev.docksmith.runtime.http.HttpApi;
import dev.docksmith.runtime.it.FuzzHttp.BodyMode;
import dev.docksmith.runtime.it.FuzzHttp.Req;
import dev.docksmith.runtime.it.FuzzRoutes.BodyField;
import dev.docksmith.runtime.it.FuzzRoutes.Dispatch;
import dev.docksmith.runtime.it.FuzzRoutes.FieldType;
import dev.docksmith.runtime.it.FuzzRoutes.ParamKind;
import dev.docksmith.runtime.it.FuzzRoutes.QueryType;
import dev.docksmith.runtime.it.FuzzRoutes.Route;
import dev.docksmith.runtime.it.FuzzRoutes.Segment;
import dev.docksmith.runtime.it.FuzzRoutes.Spec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Generates {@link FuzzIT}'s requests from one seeded {@link Random}: the same seed and route list
 * give the same sequence (only the fixture's names, unique per run, differ). First a coverage pass:
 * every route with every input class that applies to it, in each of the class's variants (every
 * wrong method, bad content type, known body field and alias, known query parameter, kind of
 * malformed JSON, ...); then random cases, cheap routes more often, until the count is reached.
 * <p>
 * <b>No valid state-changing request is ever sent.</b> Every case is checked by {@link #refusal}
 * before it is kept: when the router would run a non-GET handler, the request must carry a reason
 * the contract says makes it a 4xx before anything changes — an over-limit body (413), a non-JSON
 * body (415), a path name that cannot name anything on the engine ({@link #cannotResolve}), or a
 * body or query value the route must refuse (malformed JSON, a wrong type, an unknown name, a bad
 * tag, a script outside the scripts directory, ...). A case without one gets one added
 * ({@link #forceRefusal}); one that still has none fails the test as a generator bug. Real names are
 * only ever the fixture's own objects, and the engine guard refuses any write Docksmith tries anyway.
 */
final class FuzzInputs {
    static final long LIMIT = HttpApi.DEFAULT_BODY_LIMIT;
    /** Names in this namespace exist nowhere: FuzzIT checks the engine has none before it starts. */
    static final String NOPE = "fznope-";
    static final String LOCAL_REGISTRY = "localhost:5000/";
    /** Kinds of malformed JSON {@link #malformedOnce} makes. */
    private static final int MALFORMATIONS = 16;
    private static final Pattern MAYBE_A_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@+-]*");

    enum InputClass {
        PATH_GARBAGE, PATH_NEAR_MISS, REAL_TARGET, UNKNOWN_QUERY, BAD_QUERY_VALUE, MALFORMED_QUERY, WRONG_METHOD,
        CONTENT_TYPE, EMPTY_BODY, MALFORMED_JSON, NOT_AN_OBJECT, WRONG_TYPE, BAD_BODY_VALUE, HUGE_DECLARED, HUGE_BODY,
        DEEP_NESTING, LONG_NAME, RAW_TARGET;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The fixture's own objects, by what they are. */
    record Reals(Map<ParamKind, List<String>> names, String script, String updateOperation, List<String> scriptsOutside) {
        List<String> of(ParamKind kind) {
            return names.getOrDefault(kind, List.of());
        }
    }

    /**
     * One request to send. {@code refusal} says why a state-changing handler must refuse it (null
     * when the request only reads, or never reaches a handler).
     */
    record Case(int index, InputClass inputClass, String route, Req req, String refusal) {
        String describe() {
            return "#" + index + " [" + inputClass.label() + " -> " + route + "] " + req.describe()
                    + (refusal == null ? "" : "  (must be refused: " + refusal + ")");
        }
    }

    private final List<Route> routes;
    private final Reals reals;
    private final Random random;
    /** During the coverage pass, which variant of a class to make; -1 for a random one. */
    private int variant = -1;

    FuzzInputs(List<Route> routes, Reals reals, long seed) {
        this.routes = routes;
        this.reals = reals;
        this.random = new Random(seed);
    }

    // ---------------------------------------------------------------- generation

    List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>();
        // Coverage: every route with every class that applies, in each of the class's variants (every
        // wrong method, bad content type, known field, known query parameter, kind of malformation...).
        for (Route route : routes) {
            for (InputClass c : InputClass.values()) {
                if (applies(c, route)) {
                    int n = variants(c, route);
                    for (int v = 0; v < n; v++) {
                        variant = v;
                        cases.add(make(cases.size(), c, route));
                    }
                    variant = -1;
                }
            }
        }
        // Then random cases, cheaper routes more often.
        List<Route> weighted = new ArrayList<>();
        for (Route r : routes) {
            int weight = Math.max(1, 10 / FuzzRoutes.specOf(r).cost());
            for (int i = 0; i < weight; i++) {
                weighted.add(r);
            }
        }
        while (cases.size() < count) {
            Route route = weighted.get(random.nextInt(weighted.size()));
            List<InputClass> classes = Arrays.stream(InputClass.values()).filter(c -> applies(c, route)).toList();
            cases.add(make(cases.size(), classes.get(random.nextInt(classes.size())), route));
        }
        return cases;
    }

    /** How many variants of a class the coverage pass sends to a route. */
    private int variants(InputClass c, Route route) {
        Spec spec = FuzzRoutes.specOf(route);
        return switch (c) {
            case WRONG_METHOD -> WRONG_METHODS.size();
            case CONTENT_TYPE -> BAD_CONTENT_TYPES.size();
            case WRONG_TYPE -> fieldNames(spec).size();
            case BAD_BODY_VALUE -> valueFields(spec).size();
            case BAD_QUERY_VALUE -> spec.query().size();
            case MALFORMED_JSON -> MALFORMATIONS;
            case DEEP_NESTING -> 4;
            case HUGE_DECLARED -> 4;
            default -> 2;
        };
    }

    /** Every name a body field answers to (its aliases too), with its field. */
    private static List<Map.Entry<String, BodyField>> fieldNames(Spec spec) {
        List<Map.Entry<String, BodyField>> names = new ArrayList<>();
        for (BodyField f : spec.body()) {
            names.add(Map.entry(f.name(), f));
            f.aliases().forEach(a -> names.add(Map.entry(a, f)));
        }
        return names;
    }

    /** Body fields whose value (not only type) can be wrong. */
    private static List<BodyField> valueFields(Spec spec) {
        return spec.body().stream().filter(x -> x.type() != FieldType.BOOL).toList();
    }

    static boolean applies(InputClass c, Route route) {
        Spec spec = FuzzRoutes.specOf(route);
        boolean params = !route.params().isEmpty();
        boolean bodyMethod = takesBody(route.method());
        return switch (c) {
            case PATH_GARBAGE, RAW_TARGET -> params;
            case PATH_NEAR_MISS -> params;
            case REAL_TARGET -> route.readOnly();
            case BAD_QUERY_VALUE -> !spec.query().isEmpty();
            case CONTENT_TYPE, EMPTY_BODY, MALFORMED_JSON, HUGE_BODY, DEEP_NESTING -> bodyMethod;
            case NOT_AN_OBJECT, WRONG_TYPE, BAD_BODY_VALUE -> spec.readsBody();
            case LONG_NAME -> params || spec.readsBody();
            case UNKNOWN_QUERY, MALFORMED_QUERY, WRONG_METHOD, HUGE_DECLARED -> true;
        };
    }

    /** Mutable while a case is being built. */
    private final class Draft {
        final Route route;
        final Spec spec;
        String method;
        final Map<String, String> fragments = new LinkedHashMap<>();
        String query;
        String contentType;
        byte[] body = new byte[0];
        BodyMode mode = BodyMode.NONE;
        long declared;
        String refusal;

        Draft(Route route) {
            this.route = route;
            this.spec = FuzzRoutes.specOf(route);
            this.method = route.method();
            for (String p : route.params()) {
                fragments.put(p, encodeParam(route, p, realOrGarbage(spec.params().get(p))));
            }
        }

        void json(String text) {
            json(text.getBytes(StandardCharsets.UTF_8));
        }

        void json(byte[] bytes) {
            body = bytes;
            mode = BodyMode.FIXED;
            contentType = pick("application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8");
        }

        void refuse(String why) {
            refusal = refusal == null ? why : refusal + "; " + why;
        }

        Req req() {
            StringBuilder path = new StringBuilder();
            for (Segment s : route.segments()) {
                path.append('/').append(s.kind() == FuzzRoutes.Kind.LITERAL ? s.text() : fragments.get(s.text()));
            }
            return new Req(method, path + (query == null ? "" : "?" + query), contentType, body, mode, declared);
        }
    }

    private Case make(int index, InputClass c, Route route) {
        Draft d = new Draft(route);
        switch (c) {
            case PATH_GARBAGE -> {
                for (String p : route.params()) {
                    d.fragments.put(p, random.nextInt(3) == 0 ? pick(RAW_FRAGMENTS) : encodeParam(route, p, garbage()));
                }
            }
            case PATH_NEAR_MISS -> {
                for (String p : route.params()) {
                    List<String> real = reals.of(d.spec.params().get(p));
                    String base = real.isEmpty() ? NOPE + "x" : pick(real);
                    String miss = route.readOnly() ? nearMiss(base) : nearMissNamingNothing(base);
                    while (!route.readOnly() && greedy(route, p) && miss.endsWith("/")) {
                        miss = nearMissNamingNothing(base); // a greedy parameter's trailing slash is the router's, not the name's
                    }
                    d.fragments.put(p, encodeParam(route, p, miss));
                }
                if (!route.readOnly()) {
                    d.refuse("the path names nothing: a real name with a character more or less");
                }
            }
            case REAL_TARGET -> d.query = validQuery(d.spec, null);
            case UNKNOWN_QUERY -> d.query = unknownQuery(d.spec);
            case BAD_QUERY_VALUE -> {
                List<String> names = new ArrayList<>(d.spec.query().keySet());
                names.sort(null);
                String name = choose(names);
                String value = pick(badValues(d.spec.query().get(name)));
                String others = validQuery(d.spec, name);
                d.query = (others == null || random.nextBoolean() ? "" : others + "&") + name + "=" + encode(value);
                d.refuse("query " + name + " is invalid");
            }
            case MALFORMED_QUERY -> d.query = pick(MALFORMED_QUERIES);
            case WRONG_METHOD -> {
                List<String> allowed = new ArrayList<>(FuzzRoutes.allowed(routes, d.req().path()));
                List<String> wrong = new ArrayList<>(WRONG_METHODS);
                d.method = choose(WRONG_METHODS);
                if (allowed.contains(d.method)) {
                    wrong.removeAll(allowed);
                    d.method = pick(wrong);
                }
                if (random.nextBoolean() && takesBody(d.method)) {
                    d.json(plausibleBody(d.spec));
                }
            }
            case CONTENT_TYPE -> {
                byte[] body = (random.nextBoolean() ? plausibleBody(d.spec) : pick("{}", "container=x", "<a/>", "x"))
                        .getBytes(StandardCharsets.UTF_8);
                d.body = body;
                d.mode = BodyMode.FIXED;
                d.contentType = choose(BAD_CONTENT_TYPES);
            }
            case EMPTY_BODY -> {
                d.mode = random.nextBoolean() ? BodyMode.FIXED : BodyMode.NONE;
                d.contentType = random.nextBoolean() ? "application/json" : null;
                if (random.nextBoolean() && d.mode == BodyMode.FIXED) {
                    d.body = pick(" ", "\r\n", "\t \n").getBytes(StandardCharsets.UTF_8);
                    d.contentType = "application/json";
                }
                if (d.spec.readsBody()) {
                    d.refuse("a JSON object body is required");
                }
            }
            case MALFORMED_JSON -> {
                d.json(malformed(plausibleBody(d.spec)));
                d.refuse("the body is not well-formed JSON");
            }
            case NOT_AN_OBJECT -> {
                d.json(pick("[]", "\"x\"", "42", "null", "true", "[" + plausibleBody(d.spec) + "]", "\"" + escapeJson(plausibleBody(d.spec)) + "\""));
                d.refuse("the body is not a JSON object");
            }
            case WRONG_TYPE -> {
                Map.Entry<String, BodyField> f = choose(fieldNames(d.spec));
                d.json(wrongType(d.spec, f.getValue(), f.getKey()));
                d.refuse("field " + f.getKey() + " has the wrong type or is missing");
            }
            case BAD_BODY_VALUE -> {
                BodyField f = choose(valueFields(d.spec));
                Map<String, Object> body = plausible(d.spec);
                body.put(f.name(), badValue(f.type()));
                d.json(Jsonish.write(body));
                d.refuse("field " + f.name() + " names nothing that exists or is not allowed");
            }
            case HUGE_DECLARED -> {
                d.mode = BodyMode.DECLARED_ONLY;
                d.declared = choose(List.of(LIMIT + 1, LIMIT * 2, 10L * 1024 * 1024 * 1024, Long.MAX_VALUE / 2));
                d.contentType = "application/json";
                if (random.nextBoolean() && !route.params().isEmpty()) {
                    d.fragments.replaceAll((p, v) -> encodeParam(route, p, realOrGarbage(d.spec.params().get(p))));
                }
            }
            case HUGE_BODY -> {
                String plausible = plausibleBody(d.spec);
                int size = (int) LIMIT + 1 + random.nextInt(64 * 1024);
                d.json(padded(plausible, size));
                if (variant >= 0 ? variant % 2 == 1 : random.nextBoolean()) {
                    d.mode = BodyMode.CHUNKED;
                }
            }
            case DEEP_NESTING -> {
                d.json(deep(d.spec));
                d.refuse("the body nests 10,000 levels deep");
            }
            case LONG_NAME -> {
                int length = pick(List.of(300, 4_000, 20_000, 60_000));
                if (!route.params().isEmpty() && (!d.spec.readsBody() || random.nextBoolean())) {
                    for (String p : route.params()) {
                        String name = longName(length);
                        // The JDK server resets a connection whose request head passes 380 KiB
                        // (sun.net.httpserver.maxReqHeaderSize) before Docksmith sees it: stay below.
                        while (encodeParam(route, p, name).length() > 200_000) {
                            name = name.substring(0, name.length() / 2);
                        }
                        d.fragments.put(p, encodeParam(route, p, name));
                    }
                } else {
                    Map<String, Object> body = plausible(d.spec);
                    BodyField f = pick(d.spec.body().stream().filter(x -> x.type() != FieldType.BOOL).toList());
                    body.put(f.name(), f.type() == FieldType.CONTAINERS || f.type() == FieldType.LABEL_LIST
                            ? List.of(longName(length * 10)) : f.type() == FieldType.LABEL_MAP
                            ? Map.of(longName(length), "v") : longName(length * 10));
                    d.json(Jsonish.write(body));
                    d.refuse("field " + f.name() + " is a name of " + (length * 10) + " characters");
                }
            }
            case RAW_TARGET -> {
                for (String p : route.params()) {
                    d.fragments.put(p, pick(RAW_INVALID_TARGETS));
                }
            }
            default -> throw new IllegalStateException(c.name());
        }
        Req req = d.req();
        if (refusal(req, d.refusal) == null && mustBeRefused(req)) {
            forceRefusal(d);
            req = d.req();
            if (refusal(req, d.refusal) == null) {
                throw new AssertionError("FuzzInputs made a request that could change state: " + req.describe());
            }
        }
        return new Case(index, c, route.key(), req, mustBeRefused(req) ? refusal(req, d.refusal) : null);
    }

    /** True when the router would run a handler that is not a read (and nothing before it refuses). */
    private boolean mustBeRefused(Req req) {
        if (pipelineRefusal(req) != null) {
            return false;
        }
        Optional<Dispatch> d = FuzzRoutes.dispatch(routes, req.method(), req.path());
        return d.isPresent() && !d.get().route().readOnly();
    }

    /** Why {@code req} cannot change state, or null when nothing guarantees it. */
    String refusal(Req req, String claimed) {
        String pipeline = pipelineRefusal(req);
        if (pipeline != null) {
            return pipeline;
        }
        Optional<Dispatch> d = FuzzRoutes.dispatch(routes, req.method(), req.path());
        if (d.isEmpty()) {
            return "no route runs (400/404/405)";
        }
        if (d.get().route().readOnly()) {
            return "a GET handler";
        }
        for (Map.Entry<String, String> p : d.get().params().entrySet()) {
            if (cannotResolve(p.getValue())) {
                return "path {" + p.getKey() + "} cannot name anything";
            }
        }
        return claimed;
    }

    /** What the HTTP pipeline refuses before any handler, whatever the route (413, 415). */
    static String pipelineRefusal(Req req) {
        if (req.mode() == BodyMode.DECLARED_ONLY && req.declaredLength() > LIMIT) {
            return "declared Content-Length over the 1 MiB limit (413)";
        }
        if (req.mode() == BodyMode.FIXED && req.bodyLength() > LIMIT) {
            return "Content-Length over the 1 MiB limit (413)";
        }
        if (takesBody(req.method())) {
            if (req.mode() == BodyMode.CHUNKED && req.bodyLength() > LIMIT) {
                return "chunked body over the 1 MiB limit (413)";
            }
            if (req.bodyLength() > 0 && !isJson(req.contentType())) {
                return "body without Content-Type: application/json (415)";
            }
        }
        return null;
    }

    /** Adds a reason to refuse: unresolvable path names, else a bad known query value, else 415, else 413. */
    private void forceRefusal(Draft d) {
        if (!d.route.params().isEmpty()) {
            for (String p : d.route.params()) {
                d.fragments.put(p, encodeParam(d.route, p, NOPE + token(8)));
            }
            return;
        }
        if (!d.spec.query().isEmpty()) {
            List<String> names = new ArrayList<>(d.spec.query().keySet());
            names.sort(null);
            String name = pick(names);
            String bad = name + "=" + encode(pick(badValues(d.spec.query().get(name))));
            d.query = d.query == null ? bad : bad + "&" + d.query; // first value wins
            d.refuse("query " + name + " is invalid");
            return;
        }
        if (takesBody(d.method)) {
            if (d.body.length == 0) {
                d.body = "{}".getBytes(StandardCharsets.UTF_8);
                d.mode = BodyMode.FIXED;
            }
            d.contentType = "text/plain";
            return;
        }
        d.mode = BodyMode.DECLARED_ONLY;
        d.body = new byte[0];
        d.declared = LIMIT + 1;
    }

    // ---------------------------------------------------------------- names

    /**
     * True when a value cannot name a container, image, network, volume, stack or operation: empty,
     * in the {@value #NOPE} namespace (on the local registry too), or with a character no such name
     * has (after one leading '/').
     */
    static boolean cannotResolve(String value) {
        String s = value.startsWith("/") ? value.substring(1) : value;
        return s.isEmpty() || s.startsWith(NOPE) || s.startsWith(LOCAL_REGISTRY + NOPE) || !MAYBE_A_NAME.matcher(s).matches();
    }

    private String realOrGarbage(ParamKind kind) {
        List<String> real = kind == null ? List.of() : reals.of(kind);
        return real.isEmpty() || random.nextInt(4) == 0 ? garbage() : pick(real);
    }

    /** A name that names nothing: fixed nasties, random junk or a {@value #NOPE} name. */
    private String garbage() {
        return switch (random.nextInt(4)) {
            case 0, 1 -> pick(NASTY_NAMES);
            case 2 -> junk();
            default -> NOPE + token(1 + random.nextInt(20));
        };
    }

    /** Garbage that {@link #cannotResolve} (for body fields, where no other check can vouch for it). */
    private String unresolvable() {
        for (int i = 0; i < 100; i++) {
            String g = garbage();
            if (cannotResolve(g)) {
                return g;
            }
        }
        return NOPE + token(6);
    }

    private String junk() {
        StringBuilder s = new StringBuilder();
        int n = 1 + random.nextInt(24);
        for (int i = 0; i < n; i++) {
            s.append(pick(JUNK_PIECES));
        }
        // At least one character no engine name has, so random junk can never hit a real object.
        s.insert(random.nextInt(s.length() + 1), pick(List.of("~", "!", " ", "\u0000", "\u00e9", "*", "$", "<", "\u2603")));
        return s.toString();
    }

    /**
     * A near miss that names nothing, by the engine's rules: a space, a control character or a
     * slash more, or other case or separators (names are case-sensitive, and none of the fixture's
     * has those). Not a shorter id (an id prefix names the container).
     */
    private String nearMissNamingNothing(String real) {
        List<String> options = new ArrayList<>(List.of(" " + real, real + " ", real + "\u0000", real + "/", "//" + real, "./" + real,
                real + "/..", "../" + real, real + "%", real + "\n", "\u200b" + real, real + "x", real + "\t", "\u00a0" + real));
        if (!real.matches("[0-9a-f]+")) {
            options.add(real.toUpperCase(Locale.ROOT));
            if (real.contains("-")) {
                options.add(real.replace('-', '_'));
            }
        }
        return pick(options);
    }

    private String nearMiss(String real) {
        return pick(List.of(" " + real, real + " ", real.toUpperCase(Locale.ROOT), real + "\u0000", real + "/", "//" + real,
                "./" + real, real + "/..", "../" + real, real.substring(0, Math.max(1, real.length() - 1)), real + "x", "/" + real,
                real + "%", real + "\n", "\u200b" + real, real.replace('-', '_')));
    }

    private String longName(int length) {
        StringBuilder s = new StringBuilder(NOPE);
        String unit = pick("x", "\u00e9", "\u540d", "../", "%2e", "a-");
        while (s.length() < length) {
            s.append(unit);
        }
        return s.substring(0, length);
    }

    private String token(int n) {
        String alphabet = "ghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /**
     * A path parameter as sent: every byte but unreserved ones percent-encoded; an image keeps its
     * slashes. A well-formed image name is put on the local registry, so its answer does not depend
     * on reaching Docker Hub (CI has no network; that failure says nothing about bad input).
     */
    private static String encodeParam(Route route, String param, String value) {
        if (FuzzRoutes.specOf(route).params().get(param) == ParamKind.IMAGE && MAYBE_A_NAME.matcher(value).matches()
                && !value.startsWith(LOCAL_REGISTRY)) {
            value = LOCAL_REGISTRY + value;
        }
        if (!greedy(route, param)) {
            return encode(value);
        }
        List<String> parts = new ArrayList<>();
        for (String part : value.split("/", -1)) {
            parts.add(encode(part));
        }
        return String.join("/", parts);
    }

    private static boolean greedy(Route route, String param) {
        return route.segments().stream().anyMatch(s -> s.kind() == FuzzRoutes.Kind.GREEDY && s.text().equals(param));
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- queries

    /** Valid values for some of the route's known parameters, never {@code except} (a repeated parameter's first value wins). */
    private String validQuery(Spec spec, String except) {
        List<String> parts = new ArrayList<>();
        List<String> names = new ArrayList<>(spec.query().keySet());
        names.remove(except);
        names.sort(null);
        for (String name : names) {
            if (random.nextBoolean()) {
                String value = switch (spec.query().get(name)) {
                    case INT -> pick("1", "10", "100");
                    case BOOL -> pick("true", "false", "1", "0", "yes", "no");
                    case TAIL -> pick("0", "5", "all");
                    case SINCE -> pick("0", "1700000000", "2024-01-15T10:00:00Z");
                    case STATUS -> pick("running", "complete", "failed", "rolled_back", "queued");
                    case TEXT -> pick(reals.of(ParamKind.CONTAINER).isEmpty() ? List.of("x") : reals.of(ParamKind.CONTAINER));
                };
                parts.add(name + "=" + encode(value));
            }
        }
        return parts.isEmpty() ? null : String.join("&", parts);
    }

    /** Values a parameter of this type must refuse (lenient spellings that parse, like " 5" for an int, left out). */
    static List<String> badValues(QueryType type) {
        return switch (type) {
            case INT -> List.of("abc", "1.5", "99999999999", "-2147483649", "0x10", "1e3", "NaN", "\u0000", "\u00015", "5 5", "-1", "-5",
                    "--1");
            case BOOL -> List.of("maybe", "2", "truee", "on", "null", "-1", "\u00ff", "yes please", "TRUE1", "[true]", "\u0000", "\u0001");
            case TAIL -> List.of("-1", "abc", "ALL", "1.5", "99999999999", " 5", "all ", "-0x1", "\u0000");
            case SINCE -> List.of("yesterday", "2024-13-45T00:00:00Z", "-5", "1e9", "9999999999999", "2024-01-15", "now", "\u0000",
                    "2024-01-15T10:00:00", "1700000000.5");
            case STATUS -> List.of("bogus", "COMPLETE", "running ", "\u0000", "rolled-back", "*");
            case TEXT -> List.of("\u0000", "../../etc/passwd", "%", "x".repeat(5000));
        };
    }

    private String unknownQuery(Spec spec) {
        List<String> parts = new ArrayList<>();
        int n = random.nextInt(10) == 0 ? 500 : 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = pick(UNKNOWN_PARAMS);
            if (spec.query().containsKey(name)) {
                name = name + "_x";
            }
            parts.add(encode(name) + (random.nextInt(5) == 0 ? "" : "=" + encode(garbage())));
        }
        return String.join("&", parts);
    }

    // ---------------------------------------------------------------- bodies

    /** A body the route would accept, naming the fixture's real objects (never sent without a refusal). */
    private Map<String, Object> plausible(Spec spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (BodyField f : spec.body()) {
            if (!f.required()) {
                continue;
            }
            body.put(f.name(), switch (f.type()) {
                case CONTAINER -> realContainer();
                case CONTAINERS -> List.of(realContainer());
                case OPERATION -> reals.updateOperation();
                case SCRIPT -> reals.script();
                case LABEL_MAP -> Map.of("docksmith.fuzz", "x");
                case LABEL_LIST -> List.of("docksmith.fuzz");
                case VERSION -> "2.0.0";
                case BOOL -> Boolean.TRUE;
            });
        }
        if (spec.body().isEmpty() && random.nextBoolean()) {
            body.put("unused", "x");
        }
        return body;
    }

    private String plausibleBody(Spec spec) {
        return Jsonish.write(plausible(spec));
    }

    /** A recorded operation that is not a complete update, so a rollback of it is refused. */
    private String otherOperation() {
        List<String> others = new ArrayList<>(reals.of(ParamKind.OPERATION));
        others.remove(reals.updateOperation());
        return others.isEmpty() ? NOPE + "op" : pick(others);
    }

    private String realContainer() {
        List<String> real = reals.of(ParamKind.CONTAINER);
        return real.isEmpty() ? NOPE + "c" : pick(real);
    }

    private String wrongType(Spec spec, BodyField f, String name) {
        Map<String, Object> body = plausible(spec);
        body.remove(f.name());
        List<Object> wrong = switch (f.type()) {
            case CONTAINER, VERSION, SCRIPT, OPERATION -> {
                List<Object> w = new ArrayList<>(List.of(42, -1, 1.5, new Jsonish.Raw("1e308"), true, false, List.of(), List.of("x"),
                        Map.of(), Map.of("a", "b"), "", "   ", "\t\n"));
                if (f.required()) {
                    w.add(Jsonish.NULL); // absent: required, so missing
                    w.add(Jsonish.ABSENT);
                }
                yield w;
            }
            case BOOL -> List.of("true", "false", "yes", 1, 0, List.of(), Map.of(), "", List.of(true), Map.of("v", true));
            case CONTAINERS -> List.of("x", 42, true, Map.of(), Map.of("0", "a"), List.of(42), List.of(""), listOfNull(),
                    List.of(List.of()), List.of(Map.of()), List.of(), List.of(realContainer(), 42), Jsonish.NULL, Jsonish.ABSENT);
            case LABEL_MAP -> List.of(List.of(), "x", 42, true, List.of(List.of("k", "v")), Map.of("k", Map.of()),
                    Map.of("k", List.of()), mapOfNull("k"), Jsonish.NULL, Jsonish.ABSENT);
            case LABEL_LIST -> List.of("x", 42, true, Map.of(), Map.of("k", "v"), List.of(42), List.of(""), listOfNull(),
                    List.of(List.of()), Jsonish.NULL, Jsonish.ABSENT);
        };
        Object value = pick(wrong);
        if (value == Jsonish.ABSENT || (value == Jsonish.NULL && !name.equals(f.name()))) {
            return Jsonish.write(body); // missing altogether (a null alias would only be skipped)
        }
        body.put(name, value);
        return Jsonish.write(body);
    }

    private Object badValue(FieldType type) {
        return switch (type) {
            case CONTAINER -> pick(List.of(unresolvable(), unresolvable(), NOPE + token(6), "../../../../var/run/docker.sock",
                    nearMissNamingNothing(realContainer())));
            case CONTAINERS -> random.nextInt(6) == 0 ? Collections501.names(this::unresolvable)
                    : List.of(unresolvable(), NOPE + token(5), nearMissNamingNothing(realContainer()));
            case OPERATION -> pick(List.of(unresolvable(), NOPE + "op", NOPE + "op_" + "9".repeat(40), "../operations/x",
                    nearMissNamingNothing(reals.updateOperation()), otherOperation()));
            case VERSION -> pick(List.of("../../etc", "1.0.0/../x", "1.0.0;id", "-1", ".hidden", "a".repeat(200), "latest\n",
                    "\u540d\u524d", "v1 0", "1.0.0:2", "@sha256:abc", NOPE + token(6), "2.0.0\u0000", "$(id)"));
            case SCRIPT -> pick(reals.scriptsOutside());
            case LABEL_MAP -> pick(List.of(Map.of("bad key", "v"), Map.of("", "v"), Map.of("-x", "v"), Map.of("\u00e9", "v"),
                    Map.of("a\u0000", "v"), Map.of("x".repeat(300), "v"), Map.of(), Map.of("../x", "v")));
            case LABEL_LIST -> pick(List.of(List.of("bad key"), List.of("-x"), List.of("\u00e9"), List.of(), List.of("x".repeat(300)),
                    List.of("../x")));
            case BOOL -> throw new IllegalStateException();
        };
    }

    /** 501 names: more than a batch takes. */
    private static final class Collections501 {
        static List<String> names(java.util.function.Supplier<String> name) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 501; i++) {
                out.add(NOPE + "b" + i);
            }
            out.set(250, name.get());
            return out;
        }
    }

    private static List<Object> listOfNull() {
        List<Object> l = new ArrayList<>();
        l.add(null);
        return l;
    }

    private static Map<String, Object> mapOfNull(String key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, null);
        return m;
    }

    /** A malformed variant of a well-formed JSON object (checked: a variant that still parses is not used). */
    private byte[] malformed(String valid) {
        for (int attempt = 0; attempt < 20; attempt++) {
            byte[] candidate = malformedOnce(valid, attempt == 0 && variant >= 0 ? variant % MALFORMATIONS : random.nextInt(MALFORMATIONS));
            if (!wellFormed(candidate)) {
                return candidate;
            }
        }
        return (valid + "xyz").getBytes(StandardCharsets.UTF_8);
    }

    /** One JSON value and nothing after it, as RFC 8259 has it (strict Jackson, which also refuses comments, NaN, ...). */
    static boolean wellFormed(byte[] body) {
        try {
            STRICT.readTree(body);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = new com.fasterxml.jackson.databind.ObjectMapper().reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private byte[] malformedOnce(String valid, int kind) {
        int last = valid.lastIndexOf('}');
        String v = switch (kind) {
            case 0 -> valid.substring(0, 1 + random.nextInt(Math.max(1, valid.length() - 1)));
            case 1 -> valid + "}";
            case 2 -> valid + "xyz";
            case 3 -> valid + " {}";
            case 4 -> valid + "\n" + valid;
            case 5 -> valid.replace('"', '\'');
            case 6 -> valid.length() > 2 ? "{" + valid.substring(1).replaceFirst("\"([^\"]*)\":", "$1:") : "{a:1}";
            case 7 -> valid.substring(0, last) + (valid.length() > 2 ? "," : "") + "}";
            case 8 -> "/* c */" + valid;
            case 9 -> valid.substring(0, last) + (valid.length() > 2 ? "," : "") + "\"n\":NaN}";
            case 10 -> valid.replaceFirst("\"", "\"\u0001");
            case 11 -> valid.substring(0, last) + (valid.length() > 2 ? "," : "") + "\"n\":01}";
            case 12 -> "{" + valid;
            case 13 -> valid.replaceFirst("\"", "\"\\x41");
            case 14 -> valid + "\u0000";
            default -> null;
        };
        if (v != null) {
            return v.getBytes(StandardCharsets.UTF_8);
        }
        // Invalid UTF-8 inside the first string.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
        int quote = valid.indexOf('"');
        if (quote < 0) {
            return new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', ':', '1', '}'};
        }
        out.write(bytes, 0, quote + 1);
        out.write(0xC3);
        out.write(0x28);
        out.write(0xFF);
        out.write(bytes, quote + 1, bytes.length - quote - 1);
        return out.toByteArray();
    }

    private byte[] deep(Spec spec) {
        int levels = 10_000;
        String inner = switch (variant >= 0 ? variant % 4 : random.nextInt(4)) {
            case 0 -> "[".repeat(levels) + "]".repeat(levels);
            case 1 -> "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
            case 2 -> "[".repeat(levels);
            default -> null;
        };
        if (inner != null) {
            return inner.getBytes(StandardCharsets.UTF_8);
        }
        Map<String, Object> body = plausible(spec);
        String key = spec.body().isEmpty() || random.nextBoolean() ? "nested" : pick(spec.body()).name();
        body.put(key, new Jsonish.Raw("[".repeat(levels) + "]".repeat(levels)));
        return Jsonish.write(body).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] padded(String json, int size) {
        String head = json.length() > 2 ? json.substring(0, json.length() - 1) + ",\"pad\":\"" : "{\"pad\":\"";
        StringBuilder s = new StringBuilder(size + 16).append(head);
        while (s.length() < size - 2) {
            s.append('x');
        }
        return s.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- helpers

    static boolean takesBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /** As RequestPipeline.isJson: application/json or application/*+json, parameters ignored. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static String escapeJson(String s) {
        return Jsonish.write(s).substring(1, Jsonish.write(s).length() - 1);
    }

    /** The coverage pass's variant of a list, or a random element. */
    private <T> T choose(List<T> options) {
        return variant >= 0 ? options.get(variant % options.size()) : pick(options);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    // ---------------------------------------------------------------- pools

    static final List<String> NASTY_NAMES = List.of("", " ", "\t", "\u0000", "abc\u0000def", "\r\nX-Injected: yes", "\n",
            "../../../../etc/passwd", "..", ".", "...", "/etc/passwd", "/var/run/docker.sock", "C:\\Windows\\win.ini",
            "\\\\host\\share", "..\\..\\x", "%2e%2e%2f", "%00", "\u540d\u524d", "\u043a\u043e\u043d\u0442\u0435\u0439\u043d\u0435\u0440",
            "\ud83d\udc33\ud83d\udc33", "\ufeffx", "\u202egnp.exe", "e\u0301", "\ud83d", "${jndi:ldap://127.0.0.1/x}", "$(id)", "`id`",
            "' OR '1'='1", "<script>alert(1)</script>", "{{7*7}}", "null", "undefined", "true", "0", "-1", "NaN", "sha256:",
            "sha256:zz", "@sha256:", ":", "a:b:c:d", "x/y/z", "x/../../y", "a b", "*", "?", "#", "&", "=", "+", ";", "/", "//", "/.",
            "/..", "-", "_", "~", "\u007f", "\u00ff", "\uffff", "\\", "\"", "'", "%", "%%", "%u002e", "\u2215etc\u2215passwd",
            "\uff0e\uff0e\uff0f", "con", "nul", "lpt1", ".git", ".env", "/proc/self/environ");

    private static final List<String> JUNK_PIECES = List.of("a", "Z", "9", "-", "_", ".", "/", "..", "%", "%2f", ":", "@", "\u00e9",
            "\u540d", "\ud83d\udc33", "\u0001", "\n", " ", "\"", "'", "\\", "{", "}", "[", "]", "<", ">", "|", "^", "`", "=", "&", "?",
            "#", "+", ";", ",", "*", "$", "!", "(", ")");

    /** Raw path fragments, sent as they are: traversal, encoded traversal, absolute paths. All valid URI syntax. */
    static final List<String> RAW_FRAGMENTS = List.of("..", ".", "../..", "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2E%2E/%2E%2E/", ".%2e", "%2e.", "..%5c..%5cwindows", "%252e%252e%252f", "..;",
            "%c0%ae%c0%ae", "/etc/passwd", "%2Fetc%2Fpasswd", "%2fvar%2frun%2fdocker.sock", "~", "%7e", "*", "%2a", ";", "%00",
            "%0d%0aX-Injected:%20yes", "%ff", "%e0%a4", "+", "a+b", "%20", "%09", "%7b%7d", "%3f", "%23", "%26", "..%00",
            "%2e%2e%5c", ".../...", "%25", "%252F", "x/..", "x/../..", "./.", "%ef%bc%8e%ef%bc%8e");

    /** Request targets that are not valid URI syntax: the JDK server refuses them before Docksmith sees them. */
    static final List<String> RAW_INVALID_TARGETS = List.of("%", "%zz", "a%", "%e", "{name}", "a|b", "a^b", "a`b", "a\\b", "a\"b",
            "<x>", "a%2", "%%32%65");

    static final List<String> MALFORMED_QUERIES = List.of("=", "==", "&&&", "a==b", ";", "a=b;c=d", "a=1&a=2", "%3D%3D",
            "?", "??a", "a=%2", "a[]=1&a[]=2", "a[b][c]=d", "__proto__[x]=1", "%00=%00", "x=" + "y".repeat(8000),
            "a=%C0%AE", "a=%FF%FE", "+=+", "%26=%26");

    static final List<String> UNKNOWN_PARAMS = List.of("foo", "debug", "admin", "__proto__", "constructor", "callback", "q", "a[]",
            "a[b]", "limit[]", "force[]", "tail[]", "\u0000", "\u540d", "x y", "", "$where", "format", "pretty", "fields");

    static final List<String> WRONG_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "TRACE", "FUZZ",
            "PROPFIND", "OPTIONS");

    static final List<String> BAD_CONTENT_TYPES = Arrays.asList(null, "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/xml", "application/jsonp", "json", "application/", "", ";",
            "text/json", "application/javascript", "*/*", "text/plain; charset=utf-8", "application/json-seq",
            "application/x-json", "text/html");

    /** Just enough JSON writing for bodies that must be exactly what the fuzzer means (lone surrogates, raw nesting). */
    static final class Jsonish {
        /** A value written as given. */
        record Raw(String json) {
        }

        /** JSON null where a Map or List cannot hold one. */
        static final Object NULL = new Object();
        /** Leave the field out. */
        static final Object ABSENT = new Object();

        private Jsonish() {
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null || value == NULL) {
                out.append("null");
            } else if (value instanceof Raw raw) {
                out.append(raw.json());
            } else if (value instanceof String s) {
                out.append('"');
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '"' || c == '\\') {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
                out.append('"');
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getValue() == ABSENT) {
                        continue;
                    }
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(String.valueOf(e.getKey()), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            } else {
                throw new IllegalArgumentException("cannot write " + value.getClass());
            }
        }
    }
}
