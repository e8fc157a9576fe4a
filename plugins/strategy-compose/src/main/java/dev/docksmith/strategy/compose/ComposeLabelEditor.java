package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.CollectionNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Changes a compose service's labels by editing, in place, only the label entries concerned: a
 * changed value replaces the old value's characters, a new label is appended after the last one in
 * the style the file already uses ({@code - key=value} list or {@code key: value} mapping, block or
 * flow, with the same indentation and quoting), a removed label loses its line. A service without
 * {@code labels:} gets a mapping block, indented like its other keys. Everything else in the file
 * stays byte for byte.
 *
 * <p>Values are written so that compose reads them back as the same string: quoted where YAML would
 * read another type ({@code true}, {@code 1}, empty) or misparse them ({@code a: b}, {@code #}), and
 * with {@code $} doubled, since compose interpolates labels.
 */
final class ComposeLabelEditor {
    /** Written plain: no YAML reader (1.1 or 1.2, block or flow) can take these for anything but this string. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./@+=-]*");
    /** YAML 1.1 (compose v1's reader) takes these for booleans or null, and compose then rejects the label. */
    private static final Set<String> NOT_STRINGS = Set.of("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL");
    /** A label key that reads the same in a list ({@code key=value}) and a mapping, and that compose does not interpolate. */
    private static final Pattern KEY = Pattern.compile("[^\\s=$\\p{Cntrl}]+");
    private static final Pattern LIST_PREFIX = Pattern.compile(" *- +");
    private static final Pattern MAP_PREFIX = Pattern.compile(" *");

    /**
     * Plans a label change over a project's files, writing nothing. A label goes where compose reads
     * it from: a changed or removed label is edited in every file that declares it; a new one goes to
     * the last file that declares labels for the service, else to the file that declares its image.
     *
     * @param contents each file's content as it will be before the labels change (with any image edit)
     * @return the new content of each file whose bytes change, in {@code -f} order
     * @throws DocksmithException naming the file when a label cannot be written in place
     */
    Map<Path, byte[]> plan(ComposeService service, Map<String, String> set, Collection<String> remove,
                           Function<Path, byte[]> contents) {
        checkLabels(set, remove);
        String name = service.project().service();
        Map<Path, YamlDocument> docs = new LinkedHashMap<>();
        Map<Path, Set<String>> declaring = new LinkedHashMap<>();
        Path lastDefining = null;
        for (Path file : service.project().files()) {
            YamlDocument doc = YamlDocument.parse(file, YamlDocument.decode(file, contents.apply(file), "compose file"));
            docs.put(file, doc);
            Site site = find(doc, name);
            if (site != null) {
                lastDefining = file;
                if (site.labels != null) {
                    declaring.put(file, labels(site).keySet());
                }
            }
        }
        if (lastDefining == null) {
            throw new DocksmithException("service " + name + " is not defined in " + service.project().files());
        }
        Path fallback = !declaring.isEmpty() ? last(declaring.keySet())
                : service.source() != null ? service.source().file() : lastDefining;

        Map<Path, Map<String, String>> setIn = new LinkedHashMap<>();
        Map<Path, Set<String>> removeIn = new LinkedHashMap<>();
        for (String key : remove) {
            declaring.forEach((file, keys) -> {
                if (keys.contains(key)) {
                    removeIn.computeIfAbsent(file, f -> new HashSet<>()).add(key);
                }
            });
        }
        set.forEach((key, value) -> {
            // A later file's entry wins when compose merges, so the last file naming the key is the one to edit.
            Path target = fallback;
            for (Map.Entry<Path, Set<String>> d : declaring.entrySet()) {
                if (d.getValue().contains(key)) {
                    target = d.getKey();
                }
            }
            setIn.computeIfAbsent(target, f -> new TreeMap<>()).put(key, value);
        });

        Map<Path, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<Path, YamlDocument> e : docs.entrySet()) {
            Path file = e.getKey();
            if (!setIn.containsKey(file) && !removeIn.containsKey(file)) {
                continue;
            }
            String before = e.getValue().text();
            String after = edit(e.getValue(), name, setIn.getOrDefault(file, Map.of()), removeIn.getOrDefault(file, Set.of()));
            if (!after.equals(before)) {
                out.put(file, after.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /**
     * Edits one file's text: sets and removes the service's labels.
     *
     * @throws DocksmithException naming the file when the labels are written in a way that cannot be
     *                            edited in place (anchors, merge keys, block scalars, flow-style service)
     */
    String edit(YamlDocument doc, String service, Map<String, String> set, Collection<String> remove) {
        checkLabels(set, remove);
        Site site = find(doc, service);
        if (site == null) {
            throw new DocksmithException("compose file " + doc.file() + " does not define service " + service);
        }
        List<Edit> edits;
        if (site.labels == null) {
            edits = set.isEmpty() ? List.of() : List.of(newBlock(site, set));
        } else if (site.labels instanceof ScalarNode s && s.isPlain() && s.getValue().isEmpty()) {
            edits = set.isEmpty() ? List.of() : List.of(entriesUnderKey(site, set));
        } else if (site.labels instanceof SequenceNode || site.labels instanceof MappingNode) {
            edits = editEntries(site, set, remove);
        } else {
            throw cannot(site, "its labels are neither a list nor a mapping");
        }
        String after = apply(site, edits);
        verify(site, after, set, remove);
        return after;
    }

    // ---- where the labels are --------------------------------------------------------------------

    /**
     * A service in one file: its key, its body, and its {@code labels:} key and value (both null when
     * it has none).
     */
    private record Site(YamlDocument doc, String service, ScalarNode serviceKey, Node body, ScalarNode labelsKey, Node labels) {
        String text() {
            return doc.text();
        }
    }

    /** The service's site in the file, or null when the file does not mention the service. */
    private static Site find(YamlDocument doc, String service) {
        if (!(doc.root() instanceof MappingNode root)) {
            return null;
        }
        NodeTuple services = direct(root, "services");
        if (services == null || !(services.getValueNode() instanceof MappingNode servicesMap)) {
            return null;
        }
        NodeTuple tuple = direct(servicesMap, service);
        if (tuple == null) {
            return null;
        }
        ScalarNode key = (ScalarNode) tuple.getKeyNode();
        Node body = tuple.getValueNode();
        if (!(body instanceof MappingNode map)) {
            return new Site(doc, service, key, null, null, null);
        }
        NodeTuple labels = direct(map, "labels");
        if (labels == null) {
            if (ComposeFileReader.lookup(map, "labels", doc.file(), "service " + service, 0) != null) {
                throw new DocksmithException("cannot change the labels of service " + service + " in compose file "
                        + doc.file() + " in place: they come from a YAML merge key (<<), shared with other services;"
                        + " change them by hand");
            }
            return new Site(doc, service, key, body, null, null);
        }
        return new Site(doc, service, key, body, (ScalarNode) labels.getKeyNode(), labels.getValueNode());
    }

    /** The mapping's own entry for {@code key}, not one a merge key brings in. */
    private static NodeTuple direct(MappingNode map, String key) {
        NodeTuple found = null;
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key) && !ComposeFileReader.isMergeKey(k)) {
                found = t;
            }
        }
        return found;
    }

    /**
     * One label as written. For a list item the whole {@code key=value} scalar is the value span;
     * for a mapping entry with nothing after the colon, the value span is empty, just after the colon.
     */
    private record Entry(String key, String value, int start, int end, int valueStart, int valueEnd,
                         ScalarSpan.Quoting keyQuoting, ScalarSpan.Quoting valueQuoting, boolean listItem) {
        boolean emptyValue() {
            return valueQuoting == null;
        }
    }

    private static List<Entry> entries(Site site) {
        if (site.labels.getAnchor().isPresent()) {
            throw cannot(site, "its labels are a YAML anchor or alias, shared with other places");
        }
        List<Entry> out = new ArrayList<>();
        if (site.labels instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                ScalarSpan s = inline(site, item);
                String v = ((ScalarNode) item).getValue();
                int eq = v.indexOf('=');
                String key = eq < 0 ? v : v.substring(0, eq);
                String value = eq < 0 ? "" : v.substring(eq + 1);
                out.add(new Entry(key, value, s.start(), s.end(), s.start(), s.end(), s.quoting(), s.quoting(), true));
            }
        } else if (site.labels instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && ComposeFileReader.isMergeKey(k)) {
                    throw cannot(site, "its labels use a YAML merge key (<<)");
                }
                ScalarSpan k = inline(site, t.getKeyNode());
                Node v = t.getValueNode();
                if (v instanceof ScalarNode sv && sv.isPlain() && sv.getValue().isEmpty() && v.getAnchor().isEmpty()) {
                    // `key:` with nothing after it: the parser's position for the missing value is not
                    // reliable, so the value goes right after the colon.
                    int colon = colonAfter(site, k.end());
                    out.add(new Entry(((ScalarNode) t.getKeyNode()).getValue(), "", k.start(), colon + 1, colon + 1, colon + 1,
                            k.quoting(), null, false));
                } else {
                    ScalarSpan s = inline(site, v);
                    out.add(new Entry(((ScalarNode) t.getKeyNode()).getValue(), ((ScalarNode) v).getValue(), k.start(), s.end(),
                            s.start(), s.end(), k.quoting(), s.quoting(), false));
                }
            }
        }
        return out;
    }

    /** The labels as written, later duplicates winning as compose reads them. */
    private static Map<String, String> labels(Site site) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Entry e : entries(site)) {
            m.put(e.key, e.value);
        }
        return m;
    }

    /** A label scalar that can be replaced by position: a plain or quoted string, not an alias or block scalar. */
    private static ScalarSpan inline(Site site, Node node) {
        String line = node.getStartMark().map(m -> " (line " + (m.getLine() + 1) + ")").orElse("");
        if (!(node instanceof ScalarNode s)) {
            throw cannot(site, "a label is not a string" + line);
        }
        if (s.getAnchor().isPresent()) {
            throw cannot(site, "a label is a YAML anchor or alias" + line);
        }
        ScalarSpan span = site.doc.span(s);
        if (span.quoting() == ScalarSpan.Quoting.LITERAL || span.quoting() == ScalarSpan.Quoting.FOLDED) {
            throw cannot(site, "a label is written as a block scalar (| or >)" + line);
        }
        return span;
    }

    private static int colonAfter(Site site, int from) {
        String text = site.text();
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i >= text.length() || text.charAt(i) != ':') {
            throw cannot(site, "a label key is not followed by a colon");
        }
        return i;
    }

    // ---- planning the edits ----------------------------------------------------------------------

    /** Replaces {@code [start, end)} with {@code text}; an insertion when they are equal. */
    private record Edit(int start, int end, String text) {
    }

    private List<Edit> editEntries(Site site, Map<String, String> set, Collection<String> remove) {
        String text = site.text();
        List<Entry> entries = entries(site);
        boolean flow = ((CollectionNode<?>) site.labels).getFlowStyle() == FlowStyle.FLOW;
        List<Edit> edits = new ArrayList<>();

        Map<String, String> missing = new TreeMap<>(set);
        for (Entry e : entries) {
            if (set.containsKey(e.key)) {
                missing.remove(e.key);
                String written = e.listItem ? scalar(e.key + "=" + escape(set.get(e.key)), e.valueQuoting)
                        : e.emptyValue() ? " " + scalar(escape(set.get(e.key)), ScalarSpan.Quoting.PLAIN)
                        : scalar(escape(set.get(e.key)), e.valueQuoting);
                if (!written.equals(text.substring(e.valueStart, e.valueEnd))) {
                    edits.add(new Edit(e.valueStart, e.valueEnd, written));
                }
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!remove.contains(entries.get(i).key)) {
                kept.add(i);
            }
        }
        // New entries copy the quoting of the last entry, so the block keeps one style.
        Entry model = entries.isEmpty() ? null : entries.get(entries.size() - 1);
        List<String> added = new ArrayList<>();
        missing.forEach((k, v) -> added.add(entry(site, model, k, v)));

        if (flow) {
            flowEdits(site, entries, kept, added, edits);
        } else if (kept.isEmpty() && added.isEmpty()) {
            // The last label goes: so does the labels key, as if the file never had one.
            edits.add(deleteLines(text, site.doc.start(site.labelsKey), entries.get(entries.size() - 1).end));
        } else {
            for (int i = 0; i < entries.size(); i++) {
                if (!kept.contains(i)) {
                    edits.add(deleteLines(text, entries.get(i).start, entries.get(i).end));
                }
            }
            if (!added.isEmpty()) {
                String prefix = text.substring(lineStart(text, model.start), model.start);
                if (!(model.listItem ? LIST_PREFIX : MAP_PREFIX).matcher(prefix).matches()) {
                    throw cannot(site, "its last label does not start its own line");
                }
                edits.add(insertLines(text, lineEndAfter(text, model.end), added.stream().map(a -> prefix + a).toList()));
            }
        }
        return edits;
    }

    /** In {@code [a, b]} or {@code {a: b}}: a removed entry goes with the comma before it, new ones follow the last kept one. */
    private static void flowEdits(Site site, List<Entry> entries, List<Integer> kept, List<String> added, List<Edit> edits) {
        if (kept.isEmpty()) {
            if (!entries.isEmpty()) {
                edits.add(new Edit(entries.get(0).start, entries.get(entries.size() - 1).end, String.join(", ", added)));
            } else if (!added.isEmpty()) {
                int open = site.doc.start(site.labels) + 1;
                edits.add(new Edit(open, open, String.join(", ", added)));
            }
            return;
        }
        int first = kept.get(0);
        if (first > 0) {
            edits.add(new Edit(entries.get(0).start, entries.get(first).start, ""));
        }
        for (int i = first + 1; i < entries.size(); i++) {
            if (!kept.contains(i)) {
                edits.add(new Edit(entries.get(i - 1).end, entries.get(i).end, ""));
            }
        }
        if (!added.isEmpty()) {
            int at = entries.get(kept.get(kept.size() - 1)).end;
            edits.add(new Edit(at, at, ", " + String.join(", ", added)));
        }
    }

    /** A service with no labels key gets a mapping block after its last line, indented like its other keys. */
    private Edit newBlock(Site site, Map<String, String> set) {
        if (!(site.body instanceof MappingNode body) || body.getFlowStyle() == FlowStyle.FLOW || body.getValue().isEmpty()) {
            throw cannot(site, "it is not written as an indented block; add a labels: block by hand");
        }
        String text = site.text();
        int bodyStart = site.doc.start(body.getValue().get(0).getKeyNode());
        int bodyColumn = column(text, bodyStart);
        int indent = bodyColumn - column(text, site.doc.start(site.serviceKey));
        int step = indent > 0 ? indent : 2;
        List<String> lines = new ArrayList<>();
        lines.add(" ".repeat(bodyColumn) + "labels:");
        new TreeMap<>(set).forEach((k, v) -> lines.add(" ".repeat(bodyColumn + step) + entry(site, null, k, v)));
        return insertLines(text, endOfBlock(text, bodyStart, bodyColumn), lines);
    }

    /** {@code labels:} with nothing after it: the entries go on the lines below. */
    private Edit entriesUnderKey(Site site, Map<String, String> set) {
        if (site.body instanceof MappingNode body && body.getFlowStyle() == FlowStyle.FLOW) {
            throw cannot(site, "the service is written in flow style ({...}); add the labels by hand");
        }
        String text = site.text();
        int keyStart = site.doc.start(site.labelsKey);
        int step = column(text, keyStart) - column(text, site.doc.start(site.serviceKey));
        int indent = column(text, keyStart) + (step > 0 ? step : 2);
        List<String> lines = new ArrayList<>();
        new TreeMap<>(set).forEach((k, v) -> lines.add(" ".repeat(indent) + entry(site, null, k, v)));
        return insertLines(text, lineEndAfter(text, site.doc.end(site.labelsKey)), lines);
    }

    /** A new entry, {@code key=value} or {@code key: value} like {@code model} (a mapping entry without one). */
    private static String entry(Site site, Entry model, String key, String value) {
        if (model != null && model.listItem) {
            return scalar(key + "=" + escape(value), model.valueQuoting);
        }
        ScalarSpan.Quoting keyQuoting = model == null ? ScalarSpan.Quoting.PLAIN : model.keyQuoting;
        ScalarSpan.Quoting valueQuoting = model == null || model.emptyValue() ? ScalarSpan.Quoting.PLAIN : model.valueQuoting;
        return scalar(key, keyQuoting) + ": " + scalar(escape(value), valueQuoting);
    }

    // ---- text ------------------------------------------------------------------------------------

    /** Compose interpolates labels: a literal {@code $} is written {@code $$}. */
    private static String escape(String value) {
        return value.replace("$", "$$");
    }

    /** {@code value} as a YAML scalar in the given style; plain only where it cannot be read as anything else. */
    static String scalar(String value, ScalarSpan.Quoting quoting) {
        return switch (quoting) {
            case PLAIN -> PLAIN.matcher(value).matches() && !NOT_STRINGS.contains(value) ? value : doubleQuoted(value);
            case SINGLE_QUOTED -> "'" + value.replace("'", "''") + "'";
            default -> doubleQuoted(value);
        };
    }

    private static String doubleQuoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Deletes whole lines, from the one holding {@code from} to the one holding {@code to} (its line break included). */
    private static Edit deleteLines(String text, int from, int to) {
        int start = lineStart(text, from);
        int end = lineEndAfter(text, to);
        if (end == text.length() && !text.endsWith("\n") && start > 0) {
            // The last line has no line break: take the one before it instead, so the file still ends as it did.
            start--;
            if (start > 0 && text.charAt(start - 1) == '\r') {
                start--;
            }
        }
        return new Edit(start, end, "");
    }

    /** Inserts lines at a line start, each ended with the file's line break (at the end of a file without a final one, before them). */
    private static Edit insertLines(String text, int at, List<String> lines) {
        String eol = lineBreak(text);
        if (at == text.length() && at > 0 && text.charAt(at - 1) != '\n') {
            return new Edit(at, at, eol + String.join(eol, lines));
        }
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append(eol));
        return new Edit(at, at, sb.toString());
    }

    /** The file's line break, taken from its first line: CRLF files stay CRLF. */
    private static String lineBreak(String text) {
        int nl = text.indexOf('\n');
        return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
    }

    private static int lineStart(String text, int at) {
        return text.lastIndexOf('\n', at - 1) + 1;
    }

    /** The start of the line after the one holding the character before {@code end} (or the end of the text). */
    private static int lineEndAfter(String text, int end) {
        int nl = text.indexOf('\n', Math.max(end - 1, 0));
        return nl < 0 ? text.length() : nl + 1;
    }

    private static int column(String text, int at) {
        return at - lineStart(text, at);
    }

    /**
     * Where a block starting at {@code from} (its keys at {@code column}) ends: after its last line
     * with content. Comment and blank lines after it are left to what follows; a line indented less
     * than the keys ends the block.
     */
    private static int endOfBlock(String text, int from, int column) {
        int end = lineEndAfter(text, from + 1);
        int at = end;
        while (at < text.length()) {
            int next = lineEndAfter(text, at + 1);
            String line = text.substring(at, next).stripTrailing();
            String content = line.stripLeading();
            if (!content.isEmpty() && !content.startsWith("#")) {
                if (line.length() - content.length() < column) {
                    break;
                }
                end = next;
            }
            at = next;
        }
        return end;
    }

    private static String apply(Site site, List<Edit> edits) {
        // Back to front, so earlier offsets stay valid; at one offset the longer edit goes first, so an
        // insertion lands before a deletion that starts there rather than inside it.
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end).reversed());
        StringBuilder sb = new StringBuilder(site.text());
        int limit = Integer.MAX_VALUE;
        for (Edit e : sorted) {
            if (e.end > limit) {
                throw cannot(site, "the edits overlap");
            }
            sb.replace(e.start, e.end, e.text);
            limit = e.start;
        }
        return sb.toString();
    }

    // ---- checks ------------------------------------------------------------------------------------

    private static void checkLabels(Map<String, String> set, Collection<String> remove) {
        for (Map.Entry<String, String> e : set.entrySet()) {
            checkKey(e.getKey());
            if (e.getValue() == null || e.getValue().chars().anyMatch(Character::isISOControl)) {
                throw new DocksmithException("label " + e.getKey() + ": a value must be one line of text");
            }
            if (remove.contains(e.getKey())) {
                throw new DocksmithException("label " + e.getKey() + " is both set and removed");
            }
        }
        remove.forEach(ComposeLabelEditor::checkKey);
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new DocksmithException("'" + key + "' is not a label key Docksmith can write (no spaces, '=' or '$')");
        }
    }

    /**
     * Reads the edited text back: the service must have exactly the expected labels, and its other
     * keys must be as before. Guards against an edit that YAML would read another way.
     */
    private static void verify(Site site, String after, Map<String, String> set, Collection<String> remove) {
        Map<String, String> expected = new LinkedHashMap<>(site.labels == null || site.labels instanceof ScalarNode
                ? Map.of() : labels(site));
        remove.forEach(expected::remove);
        set.forEach((k, v) -> expected.put(k, escape(v)));
        YamlDocument reread;
        try {
            reread = YamlDocument.parse(site.doc.file(), after);
        } catch (DocksmithException e) {
            throw cannot(site, "the edited file would not be valid YAML (" + e.getMessage() + ")");
        }
        Site now = find(reread, site.service);
        Map<String, String> labels = now == null || now.labels == null || now.labels instanceof ScalarNode
                ? Map.of() : labels(now);
        if (now == null || !labels.equals(expected) || !otherKeys(now).equals(otherKeys(site))) {
            throw cannot(site, "the edited file would not read back as intended");
        }
    }

    private static Set<String> otherKeys(Site site) {
        Set<String> keys = new LinkedHashSet<>();
        if (site.body instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    keys.add(k.getValue());
                }
            }
        }
        keys.remove("labels");
        return keys;
    }

    private static <T> T last(Collection<T> items) {
        T last = null;
        for (T t : items) {
            last = t;
        }
        return last;
    }

    private static DocksmithException cannot(Site site, String why) {
        return new DocksmithException("cannot change the labels of service " + site.service + " in compose file "
                + site.doc.file() + " in place: " + why);
    }
}
