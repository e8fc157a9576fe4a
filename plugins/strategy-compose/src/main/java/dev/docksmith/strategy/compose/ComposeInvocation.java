package dev.docksmith.strategy.compose;

import dev.docksmith.api.UpdateException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How to address one service with the compose CLI, exactly as it was brought up. Stored in
 * {@link dev.docksmith.api.Applied#undo()} so an undo after a restart runs the same command.
 *
 * @param command    {@code docker compose} or {@code docker-compose}
 * @param project    the {@code -p} project name
 * @param service    the service to pull and recreate
 * @param workingDir where to run, so relative {@code -f} paths and the default {@code .env} resolve as before
 * @param files      the {@code -f} files as the container's label wrote them (v1 keeps relative ones)
 * @param envFiles   {@code --env-file}s to pass; empty when compose's default {@code .env} applies
 */
record ComposeInvocation(List<String> command, String project, String service, Path workingDir, List<String> files,
                         List<String> envFiles) {
    // A newline cannot occur in a label's comma-separated list entry, so it separates list entries safely.
    private static final String SEP = "\n";

    ComposeInvocation {
        command = List.copyOf(command);
        files = List.copyOf(files);
        envFiles = List.copyOf(envFiles);
    }

    List<String> pull() {
        return args("pull", service);
    }

    List<String> up() {
        // --no-deps: only this service; --force-recreate: even if compose thinks nothing changed.
        return args("up", "-d", "--no-deps", "--force-recreate", service);
    }

    private List<String> args(String... tail) {
        List<String> a = new ArrayList<>(command);
        for (String env : envFiles) {
            a.add("--env-file");
            a.add(env);
        }
        a.add("-p");
        a.add(project);
        for (String f : files) {
            a.add("-f");
            a.add(f);
        }
        a.addAll(Arrays.asList(tail));
        return a;
    }

    Map<String, String> toMap() {
        Map<String, String> m = new HashMap<>();
        m.put("command", String.join(SEP, command));
        m.put("project", project);
        m.put("service", service);
        m.put("workingDir", workingDir.toString());
        m.put("files", String.join(SEP, files));
        m.put("envFiles", String.join(SEP, envFiles));
        return m;
    }

    static ComposeInvocation fromMap(Map<String, String> m) {
        return new ComposeInvocation(list(m, "command"), required(m, "project"), required(m, "service"),
                Path.of(required(m, "workingDir")), list(m, "files"), list(m, "envFiles"));
    }

    static String required(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isEmpty()) {
            throw new UpdateException("cannot undo: the stored compose update has no " + key);
        }
        return v;
    }

    private static List<String> list(Map<String, String> m, String key) {
        String v = m.getOrDefault(key, "");
        return v.isEmpty() ? List.of() : List.of(v.split(SEP));
    }
}
