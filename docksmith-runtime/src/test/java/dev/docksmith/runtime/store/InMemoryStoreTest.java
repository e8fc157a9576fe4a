package dev.docksmith.runtime.store;

import dev.docksmith.api.CheckRecord;
import dev.docksmith.api.HistoryQuery;
import dev.docksmith.spi.Store;
import dev.docksmith.tck.StoreContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class InMemoryStoreTest extends StoreContract {
    @Override
    protected Store open(Path dir) {
        return new InMemoryStore();
    }

    @Override
    protected boolean persistent() {
        return false;
    }

    @Test
    void saysItIsNotPersistent() {
        assertFalse(store.persistent());
    }

    @Test
    void keepsOnlyTheNewestChecks() {
        InMemoryStore small = new InMemoryStore(3);
        for (int i = 1; i <= 5; i++) {
            small.saveCheck(check("web", i, "UP_TO_DATE"));
        }

        assertEquals(List.of(T0.plusSeconds(5), T0.plusSeconds(4), T0.plusSeconds(3)),
                small.checks(new HistoryQuery(null, null, 100)).stream().map(CheckRecord::checkedAt).toList());
    }
}
