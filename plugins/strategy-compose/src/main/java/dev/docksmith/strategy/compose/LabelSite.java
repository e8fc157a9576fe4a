package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a service's labels are written in one compose file, for {@link ComposeLabelEditor}: the
 * service's key and body, and its {@code labels:} key and value (both null when it has none).
 * Finding them refuses what cannot be edited in place by position: anchors, merge keys, block scalars.
 */
record LabelSite(YamlDocument doc, String service, ScalarNode serviceKey, Node body, ScalarNode labelsKey, Node labels) {
    /**
     * One label as written. For a list item the whole {@code key=value} scalar is the value span;
     * for a mapping entry with nothing after the colon, the value span is empty, just after the colon.
     */
    record Entry(String key, String value, int start, int end, int valueStart, int valueEnd,
                 ScalarSpan.Quoting keyQuoting, ScalarSpan.Quoting valueQuoting, boolean listItem) {
        boolean emptyValue() {
            return valueQuoting == null;
        }
    }

    String text() {
        return doc.text();
    }

    /** The service's site in the file, or null when the file does not mention the service. */
    static LabelSite find(YamlDocument doc, String service) {
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
            return new LabelSite(doc, service, key, null, null, null);
        }
        NodeTuple labels = direct(map, "labels");
        if (labels == null) {
            if (ComposeFileReader.lookup(map, "labels", doc.file(), "service " + service, 0) != null) {
                throw new DocksmithException("cannot change the labels of service " + service + " in compose file "
                        + doc.file() + " in place: they come from a YAML merge key (<<), shared with other services;"
                        + " change them by hand");
            }
            return new LabelSite(doc, service, key, body, null, null);
        }
        return new LabelSite(doc, service, key, body, (ScalarNode) labels.getKeyNode(), labels.getValueNode());
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

    /** The labels as written, in order, duplicates included. */
    List<Entry> entries() {
        if (labels.getAnchor().isPresent()) {
            throw cannot("its labels are a YAML anchor or alias, shared with other places");
        }
        List<Entry> out = new ArrayList<>();
        if (labels instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                ScalarSpan s = inline(item);
                String v = ((ScalarNode) item).getValue();
                int eq = v.indexOf('=');
                String key = eq < 0 ? v : v.substring(0, eq);
                String value = eq < 0 ? "" : v.substring(eq + 1);
                out.add(new Entry(key, value, s.start(), s.end(), s.start(), s.end(), s.quoting(), s.quoting(), true));
            }
        } else if (labels instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && ComposeFileReader.isMergeKey(k)) {
                    throw cannot("its labels use a YAML merge key (<<)");
                }
                ScalarSpan k = inline(t.getKeyNode());
                Node v = t.getValueNode();
                if (v instanceof ScalarNode sv && sv.isPlain() && sv.getValue().isEmpty() && v.getAnchor().isEmpty()) {
                    // `key:` with nothing after it: the parser's position for the missing value is not
                    // reliable, so the value goes right after the colon.
                    int colon = colonAfter(k.end());
                    out.add(new Entry(((ScalarNode) t.getKeyNode()).getValue(), "", k.start(), colon + 1, colon + 1, colon + 1,
                            k.quoting(), null, false));
                } else {
                    ScalarSpan s = inline(v);
                    out.add(new Entry(((ScalarNode) t.getKeyNode()).getValue(), ((ScalarNode) v).getValue(), k.start(), s.end(),
                            s.start(), s.end(), k.quoting(), s.quoting(), false));
                }
            }
        }
        return out;
    }

    /** The labels as written, later duplicates winning as compose reads them. */
    Map<String, String> labelMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Entry e : entries()) {
            m.put(e.key(), e.value());
        }
        return m;
    }

    /** The service's keys other than {@code labels}, to check an edit left them alone. */
    Set<String> otherKeys() {
        Set<String> keys = new LinkedHashSet<>();
        if (body instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    keys.add(k.getValue());
                }
            }
        }
        keys.remove("labels");
        return keys;
    }

    DocksmithException cannot(String why) {
        return new DocksmithException("cannot change the labels of service " + service + " in compose file "
                + doc.file() + " in place: " + why);
    }

    /** A label scalar that can be replaced by position: a plain or quoted string, not an alias or block scalar. */
    private ScalarSpan inline(Node node) {
        String line = node.getStartMark().map(m -> " (line " + (m.getLine() + 1) + ")").orElse("");
        if (!(node instanceof ScalarNode s)) {
            throw cannot("a label is not a string" + line);
        }
        if (s.getAnchor().isPresent()) {
            throw cannot("a label is a YAML anchor or alias" + line);
        }
        ScalarSpan span = doc.span(s);
        if (span.quoting() == ScalarSpan.Quoting.LITERAL || span.quoting() == ScalarSpan.Quoting.FOLDED) {
            throw cannot("a label is written as a block scalar (| or >)" + line);
        }
        return span;
    }

    private int colonAfter(int from) {
        String text = text();
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i >= text.length() || text.charAt(i) != ':') {
            throw cannot("a label key is not followed by a colon");
        }
        return i;
    }
}
