package dev.docksmith.tck;

import dev.docksmith.api.BadRequestException;
import dev.docksmith.api.ContainerInfo;
import dev.docksmith.api.NotFoundException;
import dev.docksmith.api.UpdateCandidate;
import dev.docksmith.api.Verdict;
import dev.docksmith.spi.Plugin;
import dev.docksmith.spi.PreUpdateCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract every {@link PreUpdateCheck} keeps. A subclass makes checks on demand
 * ({@link #createCheck}), and says what lies outside what the plugin may run
 * ({@link #outsideReferences}); the contract does the rest.
 *
 * <p>The runtime resolves what a user or a label names before it runs it, lists what may be assigned,
 * and relies on a failing check answering {@link Verdict#block} rather than throwing: an exception there
 * would fail a whole check run instead of one container's update.
 */
public abstract class PreUpdateCheckContract {
    /** How a check made by {@link #createCheck} behaves when it runs. */
    public enum Behaviour {
        /** it allows the update */
        ALLOW,
        /** it refuses the update, saying why */
        BLOCK,
        /** it fails in the way most likely to break the plugin: it cannot start, or dies */
        CRASH
    }

    /** The update every check here is asked about. */
    protected static final UpdateCandidate CANDIDATE = new UpdateCandidate(
            new ContainerInfo("tck0123456789", "tck-web", "nginx:1.24.0", "sha256:00", "running", Map.of(), Instant.EPOCH),
            "nginx:1.24.0", "1.24.0", "1.25.3");
    /** What a blocking check says, to be found in its verdict's reason. */
    protected static final String REASON = "tck: a backup is still running";

    /** The plugin under test, from {@link #plugin()} before each test. */
    protected PreUpdateCheck check;

    /**
     * The plugin under test, ready to use. It must see checks made with {@link #createCheck} both
     * before and after this call (as a user adds scripts while Docksmith runs).
     */
    protected abstract PreUpdateCheck plugin() throws Exception;

    /**
     * Makes a check that behaves as told; a {@link Behaviour#BLOCK blocking} one says {@code says}
     * (a script prints it).
     *
     * @param name a base name such as {@code tck-allow}; the plugin may add to it ({@code tck-allow.sh})
     * @return the name the plugin lists it under in {@link PreUpdateCheck#available()}
     */
    protected abstract String createCheck(String name, Behaviour behaviour, String says) throws Exception;

    /** Removes a check made by {@link #createCheck}, as a user deleting a script would. */
    protected abstract void deleteCheck(String listedName) throws Exception;

    /**
     * References that point outside what the plugin may run ({@code ../outside.sh}, an absolute path
     * elsewhere), each of which may exist; empty when the plugin has no such notion.
     */
    protected abstract List<String> outsideReferences() throws Exception;

    /**
     * Makes something within the plugin's reach that is not a check (a file that is not executable) and
     * returns the reference a user would try for it; empty when there is no such thing.
     */
    protected Optional<String> createUnusable(String name) throws Exception {
        return Optional.empty();
    }

    /** A reference inside what the plugin may run that names no check. */
    protected String unknownReference() {
        return "tck-no-such-check";
    }

    @BeforeEach
    void startCheck() throws Exception {
        check = plugin();
    }

    @AfterEach
    void stopCheck() {
        if (check != null) {
            check.stop();
        }
    }

    // ---- the plugin ----

    @Test
    void hasAStableNameAndAKnownApiVersion() {
        assertFalse(check.name() == null || check.name().isBlank(), "a plugin has a name");
        assertEquals(check.name(), check.name());
        assertTrue(check.apiVersion() <= Plugin.API_VERSION);
    }

    // ---- available and resolve ----

    @Test
    void availableListsTheChecksThatWereMade() throws Exception {
        String allow = createCheck("tck-allow", Behaviour.ALLOW, "");
        String block = createCheck("tck-block", Behaviour.BLOCK, REASON);
        List<String> available = check.available();
        assertTrue(available.contains(allow) && available.contains(block), "available() " + available
                + " lists " + allow + " and " + block);
        assertEquals(available.stream().distinct().toList(), available, "each check once");
    }

    @Test
    void everyAvailableCheckResolvesToItself() throws Exception {
        createCheck("tck-allow", Behaviour.ALLOW, "");
        createCheck("tck-block", Behaviour.BLOCK, REASON);
        createCheck("tck-crash", Behaviour.CRASH, "");
        createUnusable("tck-unusable");
        List<String> available = check.available();
        assertFalse(available.isEmpty());
        for (String name : available) {
            assertEquals(name, assertDoesNotThrow(() -> check.resolve(name), "available() lists " + name
                    + " so resolve must accept it"), "a listed name is already canonical");
        }
    }

    @Test
    void somethingThatIsNotACheckIsNeitherListedNorResolved() throws Exception {
        Optional<String> unusable = createUnusable("tck-unusable");
        assumeTrue(unusable.isPresent(), "this plugin has nothing that looks like a check but is not");
        createCheck("tck-allow", Behaviour.ALLOW, "");
        List<String> available = check.available();
        assertFalse(available.stream().anyMatch(n -> n.contains("tck-unusable")), "available() lists only what runs: " + available);
        assertThrows(NotFoundException.class, () -> check.resolve(unusable.get()));
    }

    @Test
    void referencesOutsideAreBadRequests() throws Exception {
        List<String> outside = outsideReferences();
        assumeFalse(outside.isEmpty(), "this plugin has no notion of outside");
        for (String reference : outside) {
            BadRequestException e = assertThrows(BadRequestException.class, () -> check.resolve(reference),
                    reference + " is outside what the plugin may run: BadRequestException, not found or not");
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "it says why");
        }
    }

    @Test
    void anUnknownReferenceIsNotFound() {
        assertThrows(NotFoundException.class, () -> check.resolve(unknownReference()));
    }

    // ---- run ----

    @Test
    void aPassingCheckAllows() throws Exception {
        String allow = check.resolve(createCheck("tck-allow", Behaviour.ALLOW, ""));
        Verdict verdict = check.run(allow, CANDIDATE);
        assertTrue(verdict.allowed(), "a passing check allows: " + verdict);
    }

    @Test
    void aFailingCheckBlocksSayingWhy() throws Exception {
        String block = check.resolve(createCheck("tck-block", Behaviour.BLOCK, REASON));
        Verdict verdict = assertDoesNotThrow(() -> check.run(block, CANDIDATE), "a failing check answers block, never throws");
        assertFalse(verdict.allowed());
        assertTrue(verdict.reason() != null && verdict.reason().contains(REASON),
                "the reason carries what the check said: " + verdict.reason());
    }

    @Test
    void aCrashingCheckBlocksInsteadOfThrowing() throws Exception {
        String crash = check.resolve(createCheck("tck-crash", Behaviour.CRASH, ""));
        Verdict verdict = assertDoesNotThrow(() -> check.run(crash, CANDIDATE), "a crashing check answers block, never throws");
        assertFalse(verdict.allowed());
        assertFalse(verdict.reason() == null || verdict.reason().isBlank(), "a blocked verdict says why");
    }

    @Test
    void aCheckRemovedAfterItWasResolvedBlocksInsteadOfThrowing() throws Exception {
        String listed = createCheck("tck-gone", Behaviour.ALLOW, "");
        String name = check.resolve(listed);
        deleteCheck(listed);
        Verdict verdict = assertDoesNotThrow(() -> check.run(name, CANDIDATE),
                "an assigned check that has since disappeared blocks the update, never throws");
        assertFalse(verdict.allowed());
        assertFalse(verdict.reason() == null || verdict.reason().isBlank());
    }

    @Test
    void concurrentRunsEachGetTheirOwnVerdict() throws Exception {
        String allow = check.resolve(createCheck("tck-allow", Behaviour.ALLOW, ""));
        String block = check.resolve(createCheck("tck-block", Behaviour.BLOCK, REASON));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Verdict>> runs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = i % 2 == 0 ? allow : block;
                runs.add(() -> check.run(name, CANDIDATE));
            }
            List<Future<Verdict>> verdicts = pool.invokeAll(runs, 120, TimeUnit.SECONDS);
            for (int i = 0; i < verdicts.size(); i++) {
                Verdict v = verdicts.get(i).get();
                assertEquals(i % 2 == 0, v.allowed(), "run " + i + " of " + (i % 2 == 0 ? allow : block) + ": " + v);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
