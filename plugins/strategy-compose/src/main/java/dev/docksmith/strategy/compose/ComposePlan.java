package dev.docksmith.strategy.compose;

import dev.docksmith.api.UpdateException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts of one planned compose update, as kept in {@link dev.docksmith.api.Applied#undo()} (plain
 * strings, so the runtime can store them before anything changes): how to run compose for the
 * service, every file's bytes before and after, whether the image is pulled, and what the container
 * was like before (image id, the labels the update touches), so that a recovery after a crash can
 * tell what still differs.
 *
 * @param compose         how to address the service with the compose CLI
 * @param files           the files the update rewrites, in the order it writes them
 * @param pull            true when the image changes and is pulled; false for a label-only change
 * @param declaredImage   the image the files declared before: what an {@code up} on the restored files
 *                        runs; null in plans stored by an older version
 * @param previousImageId the image id the container ran, or null when unknown or when the container
 *                        did not run what the files declared (an {@code up} cannot bring that back)
 * @param labels          the labels the update sets or removes, with their values before it
 */
record ComposePlan(ComposeInvocation compose, List<FileChange> files, boolean pull, String declaredImage,
                   String previousImageId, List<LabelBefore> labels) {
    // Keys besides ComposeInvocation's. Files are indexed (file.0, previousBytes.0, newBytes.0, ...);
    // plans stored before there could be several files have a single file / previousBytes.
    static final String FILE = "file";
    static final String PREVIOUS_BYTES = "previousBytes";
    static final String NEW_BYTES = "newBytes";
    static final String PULL = "pull";
    static final String DECLARED_IMAGE = "declaredImage";
    static final String PREVIOUS_IMAGE_ID = "previousImageId";
    static final String LABEL = "label";
    static final String LABEL_BEFORE = "labelBefore";

    /**
     * One file's content before and after the update.
     *
     * @param next the planned content, or null in a plan stored by an older version (undo needs only {@code previous})
     */
    record FileChange(Path file, byte[] previous, byte[] next) {
    }

    /** A label the update touches, and its value on the container before ({@code null}: the container had none). */
    record LabelBefore(String key, String value) {
    }

    ComposePlan {
        files = List.copyOf(files);
        labels = List.copyOf(labels);
    }

    Map<String, String> toMap() {
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, String> m = new HashMap<>(compose.toMap());
        for (int i = 0; i < files.size(); i++) {
            FileChange f = files.get(i);
            m.put(FILE + "." + i, f.file().toString());
            m.put(PREVIOUS_BYTES + "." + i, b64.encodeToString(f.previous()));
            if (f.next() != null) {
                m.put(NEW_BYTES + "." + i, b64.encodeToString(f.next()));
            }
        }
        m.put(PULL, Boolean.toString(pull));
        if (declaredImage != null) {
            m.put(DECLARED_IMAGE, declaredImage);
        }
        if (previousImageId != null) {
            m.put(PREVIOUS_IMAGE_ID, previousImageId);
        }
        for (int i = 0; i < labels.size(); i++) {
            m.put(LABEL + "." + i, labels.get(i).key());
            if (labels.get(i).value() != null) {
                m.put(LABEL_BEFORE + "." + i, labels.get(i).value());
            }
        }
        return m;
    }

    /** Reads a stored plan, current or from before plans had several files. */
    static ComposePlan fromMap(Map<String, String> m) {
        List<FileChange> files = new ArrayList<>();
        if (m.containsKey(FILE)) {
            files.add(new FileChange(Path.of(m.get(FILE)), bytes(m, PREVIOUS_BYTES, m.get(FILE)), null));
        }
        for (int i = 0; m.containsKey(FILE + "." + i); i++) {
            String file = m.get(FILE + "." + i);
            byte[] next = m.containsKey(NEW_BYTES + "." + i) ? bytes(m, NEW_BYTES + "." + i, file) : null;
            files.add(new FileChange(Path.of(file), bytes(m, PREVIOUS_BYTES + "." + i, file), next));
        }
        List<LabelBefore> labels = new ArrayList<>();
        for (int i = 0; m.containsKey(LABEL + "." + i); i++) {
            labels.add(new LabelBefore(m.get(LABEL + "." + i), m.get(LABEL_BEFORE + "." + i)));
        }
        // Older plans always pulled.
        boolean pull = !"false".equals(m.get(PULL));
        return new ComposePlan(ComposeInvocation.fromMap(m), files, pull, m.get(DECLARED_IMAGE), m.get(PREVIOUS_IMAGE_ID),
                labels);
    }

    private static byte[] bytes(Map<String, String> m, String key, String file) {
        String v = m.get(key);
        if (v == null) {
            throw new UpdateException("cannot undo: the stored compose update has no " + key + " for " + file);
        }
        try {
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw new UpdateException("the stored content of " + file + " (" + key + ") is not base64", e);
        }
    }
}
