/**
 * The version engine: reads image tags as versions ({@link dev.docksmith.runtime.version.TagVersion}),
 * turns a container's {@code docksmith.*} labels into rules ({@link dev.docksmith.runtime.version.VersionRules})
 * and picks the newest tag a container may move to ({@link dev.docksmith.runtime.version.VersionResolver}).
 *
 * <p>Pure functions over strings: no I/O, no clocks, no shared state, so the checker may call them
 * from any thread. Parsing is a hand-written scanner because the checker parses every tag of every
 * repository on each check (thousands of tags for images like {@code node}).
 *
 * <p>"No update" is an empty {@link dev.docksmith.runtime.version.Resolution#latestTag()}, with
 * {@code latestVersion} equal to {@code currentVersion}; the resolver never returns the running tag
 * itself as its answer.
 */
package dev.docksmith.runtime.version;
