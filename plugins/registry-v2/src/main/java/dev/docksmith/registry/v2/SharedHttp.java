package dev.docksmith.registry.v2;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The one JDK HTTP client all registry clients share: HTTP/1.1 with keep-alive, so connections (pooled
 * per host by the JDK) and its selector thread are reused across registries and checks. Created on
 * first use, not when a plugin is loaded.
 */
final class SharedHttp {
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private SharedHttp() {
    }
}
