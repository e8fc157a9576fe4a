package dev.docksmith.tck;

import dev.docksmith.api.ImageRef;
import dev.docksmith.spi.RegistryPlugin;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RegistryContract} run against {@link SimpleRegistryPlugin} and against broken variants of it.
 * Not tests themselves (nested classes are not picked up by Surefire): {@link ContractsCatchBrokenPluginsTest}
 * runs them and checks which of the contract's tests fail.
 */
final class RegistryFixtures {
    private RegistryFixtures() {
    }

    /** Keeps the contract. */
    static class Sound extends RegistryContract {
        @Override
        protected String registryName(FakeRegistry registry) {
            return registry.authority();
        }

        @Override
        protected RegistryPlugin plugin(FakeRegistry registry) {
            return plugin(registry.baseUri());
        }

        SimpleRegistryPlugin plugin(URI base) {
            return new SimpleRegistryPlugin(base);
        }
    }

    /** Sorts the tags instead of keeping the registry's order. */
    static class SortsTags extends Sound {
        @Override
        SimpleRegistryPlugin plugin(URI base) {
            return new SimpleRegistryPlugin(base) {
                @Override
                protected List<String> order(List<String> tags) {
                    return tags.stream().sorted().toList();
                }
            };
        }
    }

    /** Throws IllegalStateException for an unknown repository instead of NotFoundException. */
    static class ThrowsOnUnknownRepository extends Sound {
        @Override
        SimpleRegistryPlugin plugin(URI base) {
            return new SimpleRegistryPlugin(base) {
                @Override
                protected RuntimeException unknownRepository(ImageRef repository) {
                    return new IllegalStateException("unexpected 404 for " + repository);
                }
            };
        }
    }

    /** Reads the first page of tags only. */
    static class FirstPageOnly extends Sound {
        @Override
        SimpleRegistryPlugin plugin(URI base) {
            return new SimpleRegistryPlugin(base) {
                @Override
                protected URI next(HttpResponse<String> page, URI current) {
                    return null;
                }
            };
        }
    }

    /** Asks for the digest with GET, which Docker Hub counts as a pull. */
    static class DigestByGet extends Sound {
        @Override
        SimpleRegistryPlugin plugin(URI base) {
            return new SimpleRegistryPlugin(base) {
                @Override
                protected String digestMethod() {
                    return "GET";
                }
            };
        }
    }

    /** Accepts Docker v2 manifests only, so multi-platform images get another digest than docker pull records. */
    static class AcceptsTooLittle extends Sound {
        @Override
        SimpleRegistryPlugin plugin(URI base) {
            return new SimpleRegistryPlugin(base) {
                @Override
                protected String accept() {
                    return FakeRegistry.DOCKER_MANIFEST;
                }
            };
        }
    }

    /** Gathers every call's tags in one shared list: fine alone, wrong under concurrent calls. */
    static class SharesState extends Sound {
        @Override
        SimpleRegistryPlugin plugin(URI base) {
            List<String> shared = new ArrayList<>();
            return new SimpleRegistryPlugin(base) {
                @Override
                protected List<String> collector() {
                    shared.clear();
                    return shared;
                }
            };
        }
    }
}
