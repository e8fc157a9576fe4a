package dev.docksmith.runtime.config;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merges the three sources of settings. The optional YAML file gives the base, the environment
 * overrides it, and command-line flags override both: the nearer a value is to the command a user
 * types, the more it wins.
 */
public final class ConfigLoader {
    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no", "1", "0");

    private ConfigLoader() {
    }

    /** Loads from the process environment and these arguments. */
    public static DocksmithConfig load(Map<String, String> env, List<String> args) {
        Map<String, String> flags = parseFlags(args);
        String file = flags.getOrDefault(Setting.CONFIG_FILE.env(), env.get(Setting.CONFIG_FILE.env()));
        Map<String, String> merged = new HashMap<>();
        if (file != null && !file.isBlank()) {
            merged.putAll(readYaml(Path.of(file)));
        }
        for (Setting s : Setting.ALL) {
            if (env.containsKey(s.env())) {
                merged.put(s.env(), env.get(s.env()));
            }
        }
        merged.putAll(flags);
        return DocksmithConfig.from(merged);
    }

    /** {@code --port 3000} and {@code --port=3000}; an unknown flag or a missing value is an error. */
    static Map<String, String> parseFlags(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Setting s = Setting.byFlag(name).orElseThrow(() -> new ConfigException(
                    "unknown option '" + arg + "' (see --help for the options)"));
            if (value == null && Setting.SWITCHES.contains(s)) {
                // --allow-no-auth alone means true; "--allow-no-auth false" still reads its value
                boolean valueFollows = i + 1 < args.size() && BOOLEAN_WORDS.contains(args.get(i + 1).toLowerCase(Locale.ROOT));
                value = valueFollows ? args.get(++i) : "true";
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException(s.flag() + ": needs a value");
                }
                value = args.get(++i);
            }
            values.put(s.env(), value);
        }
        return values;
    }

    static Map<String, String> readYaml(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(Setting.CONFIG_FILE.env() + ": cannot read " + file + ": " + e.getMessage());
        }
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new ConfigException(Setting.CONFIG_FILE.env() + ": " + file + " is not valid YAML: " + e.getMessage());
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new ConfigException(Setting.CONFIG_FILE.env() + ": " + file + " must be a mapping of setting names to values");
        }
        Map<String, String> values = new HashMap<>();
        for (var entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Setting s = Setting.byYamlKey(key).filter(x -> x.yamlKey() != null).orElseThrow(() -> new ConfigException(
                    Setting.CONFIG_FILE.env() + ": " + file + ": unknown setting '" + key + "'"));
            Object v = entry.getValue();
            if (v instanceof Map<?, ?>) {
                throw new ConfigException(s.env() + " (" + file + "): expected a single value, found a mapping");
            }
            if (v instanceof List<?> list) {
                v = String.join(",", list.stream().map(String::valueOf).toList());
            }
            if (v != null) {
                values.put(s.env(), String.valueOf(v));
            }
        }
        return values;
    }

    /** The text {@code --help} prints. */
    public static String help() {
        StringBuilder sb = new StringBuilder("Usage: java -jar docksmith.jar [options]\n\n"
                + "Each option may also be set by its environment variable or in the YAML file given by --config;\n"
                + "flags override the environment, which overrides the file.\n\n");
        for (Setting s : Setting.ALL) {
            sb.append(String.format("  %-22s %-26s %s%s%n", s.flag() + " <v>", s.env(), s.meaning(),
                    s.defaultValue() == null ? "" : " (default " + s.defaultValue() + ")"));
        }
        return sb.toString();
    }
}
