package dev.docksmith.runtime.docker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Docker Engine API version such as 1.41, ordered numerically (1.9 is older than 1.41). */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    /** The newest API this client was written against; it never asks an engine for more. */
    public static final ApiVersion OURS = new ApiVersion(1, 47);
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("negative API version " + major + "." + minor);
        }
    }

    /** Parses "1.41"; {@link IllegalArgumentException} for anything else. */
    public static ApiVersion parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("invalid Docker API version \"" + text + "\"");
        }
        return new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * The version to speak to an engine: the lower of its newest and ours, raised to the engine's
     * minimum when that is above it (an engine that refuses old clients would refuse every call, and
     * newer API versions stay compatible for the calls this client makes).
     *
     * @param serverMinimum null when the engine did not say
     */
    public static ApiVersion negotiate(ApiVersion serverVersion, ApiVersion serverMinimum) {
        ApiVersion speak = serverVersion.compareTo(OURS) < 0 ? serverVersion : OURS;
        if (serverMinimum != null && serverMinimum.compareTo(speak) > 0) {
            speak = serverMinimum;
        }
        return speak;
    }

    /** True when this version is at least {@code other}. */
    public boolean atLeast(ApiVersion other) {
        return compareTo(other) >= 0;
    }

    /** The path prefix, {@code /v1.41}. */
    public String prefix() {
        return "/v" + this;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
