package dev.docksmith.runtime.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Request ids: a caller's own when it looks sane, otherwise a fresh random one. */
final class RequestIds {
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    static String next() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    /** The incoming id if it is short and plain (safe to log and echo), else a new one. */
    static String reuseOrNext(String incoming) {
        return incoming != null && SANE.matcher(incoming).matches() ? incoming : next();
    }
}
