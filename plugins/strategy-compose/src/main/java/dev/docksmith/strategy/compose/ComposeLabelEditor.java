package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;
import dev.docksmith.strategy.compose.LabelSite.Entry;
import dev.docksmith.strategy.compose.TextEdits.Edit;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.CollectionNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import static dev.docksmith.strategy.compose.LabelText.escape;
import static dev.docksmith.strategy.compose.LabelText.scalar;

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
 * with {@code $} doubled, since compose interpolates labels ({@link LabelText}). {@link LabelSite}
 * finds the entries, {@link TextEdits} makes the edits.
 */
final class ComposeLabelEditor {
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
        LabelText.check(set, remove);
        String name = service.project().service();
        Map<Path, YamlDocument> docs = new LinkedHashMap<>();
        Map<Path, Set<String>> declaring = new LinkedHashMap<>();
        Path lastDefining = null;
        for (Path file : service.project().files()) {
            YamlDocument doc = YamlDocument.parse(file, TextEdits.decode(file, contents.apply(file), "compose file"));
            docs.put(file, doc);
            LabelSite site = LabelSite.find(doc, name);
            if (site != null) {
                lastDefining = file;
                if (site.labels() != null) {
                    declaring.put(file, site.labelMap().keySet());
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
        LabelText.check(set, remove);
        LabelSite site = LabelSite.find(doc, service);
        if (site == null) {
            throw new DocksmithException("compose file " + doc.file() + " does not define service " + service);
        }
        List<Edit> edits;
        if (site.labels() == null) {
            edits = set.isEmpty() ? List.of() : List.of(newBlock(site, set));
        } else if (site.labels() instanceof ScalarNode s && s.isPlain() && s.getValue().isEmpty()) {
            edits = set.isEmpty() ? List.of() : List.of(entriesUnderKey(site, set));
        } else if (site.labels() instanceof SequenceNode || site.labels() instanceof MappingNode) {
            edits = editEntries(site, set, remove);
        } else {
            throw site.cannot("its labels are neither a list nor a mapping");
        }
        String after;
        try {
            after = TextEdits.apply(site.text(), edits);
        } catch (IllegalArgumentException e) {
            throw site.cannot(e.getMessage());
        }
        verify(site, after, set, remove);
        return after;
    }

    // ---- planning the edits ----------------------------------------------------------------------

    private List<Edit> editEntries(LabelSite site, Map<String, String> set, Collection<String> remove) {
        String text = site.text();
        List<Entry> entries = site.entries();
        boolean flow = ((CollectionNode<?>) site.labels()).getFlowStyle() == FlowStyle.FLOW;
        List<Edit> edits = new ArrayList<>();

        Map<String, String> missing = new TreeMap<>(set);
        for (Entry e : entries) {
            if (set.containsKey(e.key())) {
                missing.remove(e.key());
                String written = e.listItem() ? scalar(e.key() + "=" + escape(set.get(e.key())), e.valueQuoting())
                        : e.emptyValue() ? " " + scalar(escape(set.get(e.key())), ScalarSpan.Quoting.PLAIN)
                        : scalar(escape(set.get(e.key())), e.valueQuoting());
                if (!written.equals(text.substring(e.valueStart(), e.valueEnd()))) {
                    edits.add(new Edit(e.valueStart(), e.valueEnd(), written));
                }
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!remove.contains(entries.get(i).key())) {
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
            edits.add(TextEdits.deleteLines(text, site.doc().start(site.labelsKey()), entries.get(entries.size() - 1).end()));
        } else {
            for (int i = 0; i < entries.size(); i++) {
                if (!kept.contains(i)) {
                    edits.add(TextEdits.deleteLines(text, entries.get(i).start(), entries.get(i).end()));
                }
            }
            if (!added.isEmpty()) {
                String prefix = text.substring(TextEdits.lineStart(text, model.start()), model.start());
                if (!(model.listItem() ? LIST_PREFIX : MAP_PREFIX).matcher(prefix).matches()) {
                    throw site.cannot("its last label does not start its own line");
                }
                List<String> lines = added.stream().map(a -> prefix + a).toList();
                edits.add(TextEdits.insertLines(text, TextEdits.lineEndAfter(text, model.end()), lines));
            }
        }
        return edits;
    }

    /** In {@code [a, b]} or {@code {a: b}}: a removed entry goes with the comma before it, new ones follow the last kept one. */
    private static void flowEdits(LabelSite site, List<Entry> entries, List<Integer> kept, List<String> added, List<Edit> edits) {
        if (kept.isEmpty()) {
            if (!entries.isEmpty()) {
                edits.add(new Edit(entries.get(0).start(), entries.get(entries.size() - 1).end(), String.join(", ", added)));
            } else if (!added.isEmpty()) {
                int open = site.doc().start(site.labels()) + 1;
                edits.add(new Edit(open, open, String.join(", ", added)));
            }
            return;
        }
        int first = kept.get(0);
        if (first > 0) {
            edits.add(new Edit(entries.get(0).start(), entries.get(first).start(), ""));
        }
        for (int i = first + 1; i < entries.size(); i++) {
            if (!kept.contains(i)) {
                edits.add(new Edit(entries.get(i - 1).end(), entries.get(i).end(), ""));
            }
        }
        if (!added.isEmpty()) {
            int at = entries.get(kept.get(kept.size() - 1)).end();
            edits.add(new Edit(at, at, ", " + String.join(", ", added)));
        }
    }

    /** A service with no labels key gets a mapping block after its last line, indented like its other keys. */
    private Edit newBlock(LabelSite site, Map<String, String> set) {
        if (!(site.body() instanceof MappingNode body) || body.getFlowStyle() == FlowStyle.FLOW || body.getValue().isEmpty()) {
            throw site.cannot("it is not written as an indented block; add a labels: block by hand");
        }
        String text = site.text();
        int bodyStart = site.doc().start(body.getValue().get(0).getKeyNode());
        int bodyColumn = TextEdits.column(text, bodyStart);
        int indent = bodyColumn - TextEdits.column(text, site.doc().start(site.serviceKey()));
        int step = indent > 0 ? indent : 2;
        List<String> lines = new ArrayList<>();
        lines.add(" ".repeat(bodyColumn) + "labels:");
        new TreeMap<>(set).forEach((k, v) -> lines.add(" ".repeat(bodyColumn + step) + entry(site, null, k, v)));
        return TextEdits.insertLines(text, TextEdits.endOfBlock(text, bodyStart, bodyColumn), lines);
    }

    /** {@code labels:} with nothing after it: the entries go on the lines below. */
    private Edit entriesUnderKey(LabelSite site, Map<String, String> set) {
        if (site.body() instanceof MappingNode body && body.getFlowStyle() == FlowStyle.FLOW) {
            throw site.cannot("the service is written in flow style ({...}); add the labels by hand");
        }
        String text = site.text();
        int keyStart = site.doc().start(site.labelsKey());
        int step = TextEdits.column(text, keyStart) - TextEdits.column(text, site.doc().start(site.serviceKey()));
        int indent = TextEdits.column(text, keyStart) + (step > 0 ? step : 2);
        List<String> lines = new ArrayList<>();
        new TreeMap<>(set).forEach((k, v) -> lines.add(" ".repeat(indent) + entry(site, null, k, v)));
        return TextEdits.insertLines(text, TextEdits.lineEndAfter(text, site.doc().end(site.labelsKey())), lines);
    }

    /** A new entry, {@code key=value} or {@code key: value} like {@code model} (a mapping entry without one). */
    private static String entry(LabelSite site, Entry model, String key, String value) {
        if (model != null && model.listItem()) {
            return scalar(key + "=" + escape(value), model.valueQuoting());
        }
        ScalarSpan.Quoting keyQuoting = model == null ? ScalarSpan.Quoting.PLAIN : model.keyQuoting();
        ScalarSpan.Quoting valueQuoting = model == null || model.emptyValue() ? ScalarSpan.Quoting.PLAIN : model.valueQuoting();
        return scalar(key, keyQuoting) + ": " + scalar(escape(value), valueQuoting);
    }

    /**
     * Reads the edited text back: the service must have exactly the expected labels, and its other
     * keys must be as before. Guards against an edit that YAML would read another way.
     */
    private static void verify(LabelSite site, String after, Map<String, String> set, Collection<String> remove) {
        Map<String, String> expected = new LinkedHashMap<>(site.labels() == null || site.labels() instanceof ScalarNode
                ? Map.of() : site.labelMap());
        remove.forEach(expected::remove);
        set.forEach((k, v) -> expected.put(k, escape(v)));
        YamlDocument reread;
        try {
            reread = YamlDocument.parse(site.doc().file(), after);
        } catch (DocksmithException e) {
            throw site.cannot("the edited file would not be valid YAML (" + e.getMessage() + ")");
        }
        LabelSite now = LabelSite.find(reread, site.service());
        Map<String, String> labels = now == null || now.labels() == null || now.labels() instanceof ScalarNode
                ? Map.of() : now.labelMap();
        if (now == null || !labels.equals(expected) || !now.otherKeys().equals(site.otherKeys())) {
            throw site.cannot("the edited file would not read back as intended");
        }
    }

    private static <T> T last(Collection<T> items) {
        T last = null;
        for (T t : items) {
            last = t;
        }
        return last;
    }
}
