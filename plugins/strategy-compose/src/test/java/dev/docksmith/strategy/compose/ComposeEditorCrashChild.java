package dev.docksmith.strategy.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM by {@link ComposeEditorTest}: rewrites a compose file forever, alternating
 * between two tags, until killed. Prints "ready" after its first write.
 */
public final class ComposeEditorCrashChild {
    private ComposeEditorCrashChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String a = args[1];
        String b = args[2];
        ComposeReader reader = new ComposeReader(Map.of());
        ComposeEditor editor = new ComposeEditor();
        ComposeProject project = new ComposeProject("crash", "web", file.getParent(), List.of(file), List.of());
        for (long i = 0; ; i++) {
            ComposeService s = reader.read(project);
            editor.apply(editor.plan(s, s.image().equals(a) ? b : a));
            if (i == 0) {
                System.out.println("ready");
                System.out.flush();
            }
        }
    }
}
