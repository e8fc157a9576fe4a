package dev.docksmith.strategy.compose;

import dev.docksmith.api.DocksmithException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.nio.file.Path;
import java.util.Optional;

/** Reads what one compose file declares for one service ({@code services.<name>.image} and {@code build}). */
final class ComposeFileReader {
    /** Compose's tag that removes what earlier files set for a key. */
    private static final Tag RESET = new Tag("!reset");
    /** Merge keys ({@code <<: *base}) may nest; deeper than this is a loop or a mistake. */
    private static final int MAX_MERGE_DEPTH = 16;

    /**
     * What {@code file} says about {@code service}; empty when the file does not mention it (an
     * override file may define only some services).
     *
     * @throws DocksmithException naming the file and what is wrong with it
     */
    Optional<ServiceDeclaration> service(Path file, String service) {
        YamlDocument doc = YamlDocument.read(file);
        if (doc.root() == null || isNull(doc.root())) {
            return Optional.empty();
        }
        MappingNode root = mapping(doc.root(), file, "the top level");
        Node services = lookup(root, "services", file, "the top level", 0);
        if (services == null || isNull(services)) {
            return Optional.empty();
        }
        Node node = lookup(mapping(services, file, "services"), service, file, "services", 0);
        if (node == null) {
            return Optional.empty();
        }
        String where = "service " + service;
        if (isNull(node)) {
            return Optional.of(new ServiceDeclaration(file, null, null, false, false));
        }
        MappingNode body = mapping(node, file, where);
        Node build = lookup(body, "build", file, where, 0);
        boolean hasBuild = build != null && !isNull(build) && !RESET.equals(build.getTag());
        Node image = lookup(body, "image", file, where, 0);
        if (image == null || (isNull(image) && !RESET.equals(image.getTag()))) {
            return Optional.of(new ServiceDeclaration(file, null, null, false, hasBuild));
        }
        if (RESET.equals(image.getTag())) {
            return Optional.of(new ServiceDeclaration(file, null, null, true, hasBuild));
        }
        if (!(image instanceof ScalarNode scalar)) {
            throw new DocksmithException("compose file " + file + ": image of " + where + " is not a string"
                    + at(image));
        }
        return Optional.of(new ServiceDeclaration(file, scalar.getValue(), doc.span(scalar), false, hasBuild));
    }

    /**
     * The value of {@code key} in a mapping, looking through merge keys ({@code <<}) the way YAML 1.1
     * loaders (and compose) do: the mapping's own key wins, then the merged mappings in order.
     */
    static Node lookup(MappingNode map, String key, Path file, String where, int depth) {
        if (depth > MAX_MERGE_DEPTH) {
            throw new DocksmithException("compose file " + file + ": merge keys in " + where + " nest too deep");
        }
        Node found = null;
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key) && !isMergeKey(k)) {
                if (found != null) {
                    throw new DocksmithException("compose file " + file + ": duplicate key '" + key + "' in " + where
                            + at(k));
                }
                found = t.getValueNode();
            }
        }
        if (found != null) {
            return found;
        }
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && isMergeKey(k)) {
                Node merged = t.getValueNode();
                if (merged instanceof MappingNode m) {
                    found = lookup(m, key, file, where, depth + 1);
                } else if (merged instanceof SequenceNode seq) {
                    for (Node item : seq.getValue()) {
                        found = lookup(mapping(item, file, where + " (merge key)"), key, file, where, depth + 1);
                        if (found != null) {
                            break;
                        }
                    }
                }
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static boolean isMergeKey(ScalarNode key) {
        return key.getValue().equals("<<") && (key.isPlain() || Tag.MERGE.equals(key.getTag()));
    }

    private static MappingNode mapping(Node node, Path file, String where) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw new DocksmithException("compose file " + file + ": " + where + " is not a mapping" + at(node));
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && (Tag.NULL.equals(s.getTag()) || s.isPlain() && s.getValue().isEmpty());
    }

    private static String at(Node node) {
        return node.getStartMark().map(m -> " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")").orElse("");
    }
}
