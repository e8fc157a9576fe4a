package dev.docksmith.tck;

import dev.docksmith.api.Operation;
import dev.docksmith.spi.Store;

import java.nio.file.Path;

/** {@link StoreContract} run against {@link MemoryStore} and a broken variant; see {@link ContractsCatchBrokenPluginsTest}. */
final class StoreFixtures {
    private StoreFixtures() {
    }

    /** Keeps the contract. */
    static class Sound extends StoreContract {
        @Override
        protected Store open(Path dir) {
            return new MemoryStore(dir);
        }
    }

    /**
     * Loses the last operation saved before a close, like a store that buffers writes and returns
     * before they are durable.
     */
    static class LosesTheLastOperationOnReopen extends StoreContract {
        @Override
        protected Store open(Path dir) {
            return new MemoryStore(dir) {
                private String lastSaved;

                @Override
                public void save(Operation operation) {
                    super.save(operation);
                    lastSaved = operation.id();
                }

                @Override
                public void close() {
                    synchronized (disk) {
                        if (lastSaved != null) {
                            disk.operations.remove(lastSaved);
                            lastSaved = null;
                        }
                    }
                }
            };
        }
    }
}
