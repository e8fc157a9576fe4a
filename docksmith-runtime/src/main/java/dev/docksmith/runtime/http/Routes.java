package dev.docksmith.runtime.http;

/** A feature's routes, registered together with {@link Router#register(Routes)} (Helidon SE style). */
@FunctionalInterface
public interface Routes {
    void routing(Router router);
}
