/**
 * The engine's transport, as docker-java splits it: where the engine is ({@link
 * dev.docksmith.runtime.docker.transport.DockerHost}), connections over AF_UNIX, TCP or TLS, a small
 * pool of them, and one HTTP/1.1 exchange as an immutable request and a closeable response. Nothing
 * here knows an engine call; {@code dev.docksmith.runtime.docker} builds those on top.
 */
package dev.docksmith.runtime.docker.transport;
