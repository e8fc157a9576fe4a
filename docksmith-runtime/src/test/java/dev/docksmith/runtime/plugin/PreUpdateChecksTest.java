package dev.docksmith.runtime.plugin;

import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.runtime.store.InMemoryStore;
import dev.docksmith.spi.PreUpdateCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One broken pre-update check plugin neither breaks the others' listing nor lets an update through. */
class PreUpdateChecksTest {
    static final ContainerInfo WEB = new ContainerInfo("id-web", "web", "demo:1.0.0", "sha256:1", "running", Map.of(), null);
    static final UpdateCandidate CANDIDATE = new UpdateCandidate(WEB, "demo:1.0.0", "1.0.0", "1.1.0");

    /** Knows one check, {@code name}, which answers {@code verdict}. */
    record Working(String name, Verdict verdict) implements PreUpdateCheck {
        @Override public List<String> available() { return List.of(name); }

        @Override
        public String resolve(String reference) {
            if (!reference.equals(name)) {
                throw new NotFoundException("no check " + reference);
            }
            return name;
        }

        @Override public Verdict run(String check, UpdateCandidate candidate) { return verdict; }
    }

    /** Every method fails the way a plugin jar missing a dependency does. */
    static final class Broken implements PreUpdateCheck {
        @Override public String name() { return "broken"; }
        @Override public List<String> available() { throw new NoClassDefFoundError("com/example/Missing"); }
        @Override public String resolve(String reference) { throw new IllegalStateException("bug in resolve"); }
        @Override public Verdict run(String check, UpdateCandidate candidate) { throw new IllegalStateException("bug in run"); }
    }

    /** Resolves everything, then fails while deciding. */
    static final class CrashesWhileRunning implements PreUpdateCheck {
        @Override public String name() { return "crashing"; }
        @Override public List<String> available() { return List.of("crashing"); }
        @Override public String resolve(String reference) { return reference; }
        @Override public Verdict run(String check, UpdateCandidate candidate) { throw new IllegalStateException("disk gone"); }
    }

    static PreUpdateChecks checks(PreUpdateCheck... plugins) {
        return new PreUpdateChecks(List.of(plugins), new InMemoryStore());
    }

    @Test
    void aBrokenPluginIsLeftOutOfTheListAndPassedOverWhenResolving() {
        PreUpdateChecks checks = checks(new Broken(), new Working("window", Verdict.allow()));
        assertEquals(List.of("window"), checks.available());
        assertEquals("window", checks.resolve("window"));
        assertTrue(checks.run("window", CANDIDATE).allowed(), "the working plugin still decides its own check");
    }

    @Test
    void aCheckOnlyABrokenPluginCouldHaveAnsweredBlocks() {
        Verdict verdict = checks(new Broken()).run("anything", CANDIDATE);
        assertFalse(verdict.allowed());
        assertEquals("pre-update check anything not found", verdict.reason());
    }

    @Test
    void aCheckThatThrowsWhileDecidingBlocksWithWhy() {
        Verdict verdict = checks(new CrashesWhileRunning(), new Working("crashing", Verdict.allow())).run("crashing", CANDIDATE);
        assertFalse(verdict.allowed(), "found, then failed: not a yes");
        assertTrue(verdict.reason().contains("disk gone"), verdict.reason());
    }
}
