/**
 * Docksmith's model: the values that the runtime, its plugins and an embedding application pass
 * to one another, and the exceptions they throw.
 *
 * <p>Values are records: immutable, with collections copied on construction, so they may be
 * shared between threads and kept. Unless a component's documentation says it may be null, it is
 * not. Every exception is an unchecked {@link dev.docksmith.api.DocksmithException}; its subclass
 * says what kind of failure it is (and which HTTP status the runtime answers with), and its message
 * says what was being done, so it can be shown to a user as it is.
 *
 * <p>This package depends on the JDK alone.
 */
package dev.docksmith.api;
