package dev.docksmith.runtime.version;

/**
 * How a repository counts. Tags of different schemes are never compared: {@code 20240329} is not
 * newer than {@code 3.19.0}, and a nightly {@code 20241015} is not an update for a release
 * {@code 2024.10.1}. Each date form is its own scheme because repositories use one form per kind of build.
 */
public enum VersionScheme {
    /** Release numbers: {@code 1.25.3}, {@code v2.10}, {@code 16}. */
    RELEASE,
    /** Dotted, year first: {@code 2024.10.1}, {@code 2024.01.15}. */
    CALENDAR,
    /** {@code 20240115}. */
    COMPACT_DATE,
    /** {@code 2024-01-15}. */
    DASHED_DATE
}
