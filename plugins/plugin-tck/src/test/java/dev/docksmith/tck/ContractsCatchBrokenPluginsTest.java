package dev.docksmith.tck;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A contract is only worth something if it fails a plugin that breaks it. Each contract runs here
 * against a sound plugin (nothing may fail) and against broken ones (exactly the tests about what
 * each one breaks must fail), through the JUnit Platform's test kit.
 */
class ContractsCatchBrokenPluginsTest {
    /** Runs a contract subclass; returns each failed test's method name with why it failed. */
    private static Map<String, String> failures(Class<?> fixture) {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
        assertTrue(tests.started().count() > 0, fixture.getSimpleName() + " ran no test");
        assertEquals(0, tests.aborted().count(), fixture.getSimpleName() + " skipped tests");
        Map<String, String> failed = new TreeMap<>();
        for (Event e : tests.failed().list()) {
            String method = e.getTestDescriptor().getSource().filter(MethodSource.class::isInstance)
                    .map(s -> ((MethodSource) s).getMethodName()).orElse(e.getTestDescriptor().getDisplayName());
            String why = e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                    .map(String::valueOf).orElse("?");
            failed.put(method, why);
        }
        return failed;
    }

    private static void assertFailsExactly(Class<?> fixture, String... tests) {
        Map<String, String> failed = failures(fixture);
        assertEquals(Set.of(tests), failed.keySet(), fixture.getSimpleName() + " failed: " + failed);
    }

    // ---- registry ----

    @Test
    void registryContractPassesASoundPlugin() {
        assertEquals(Map.of(), failures(RegistryFixtures.Sound.class));
    }

    @Test
    void registryContractCatchesTagsSortedInsteadOfInRegistryOrder() {
        assertFailsExactly(RegistryFixtures.SortsTags.class,
                "tagsKeepTheRegistryOrder", "tagsDoNotDependOnTheTagOfTheReference", "concurrentCallsGetTheirOwnAnswers");
    }

    @Test
    void registryContractCatchesAnotherExceptionForAnUnknownRepository() {
        assertFailsExactly(RegistryFixtures.ThrowsOnUnknownRepository.class,
                "tagsOfAnUnknownRepositoryAreNotFound", "concurrentCallsGetTheirOwnAnswers");
    }

    @Test
    void registryContractCatchesAPluginThatReadsOnePage() {
        assertFailsExactly(RegistryFixtures.FirstPageOnly.class,
                "tagsFollowEveryPage", "tagsKeepTheRegistryOrder", "tagsDoNotDependOnTheTagOfTheReference",
                "concurrentCallsGetTheirOwnAnswers");
    }

    @Test
    void registryContractCatchesADigestFetchedWithGet() {
        assertFailsExactly(RegistryFixtures.DigestByGet.class, "digestUsesHeadOnly");
    }

    @Test
    void registryContractCatchesADigestRequestThatAcceptsTooLittle() {
        assertFailsExactly(RegistryFixtures.AcceptsTooLittle.class, "digestIsTheServedDockerContentDigest",
                "concurrentCallsGetTheirOwnAnswers");
    }

    @Test
    void registryContractCatchesAClientThatIsNotThreadSafe() {
        assertFailsExactly(RegistryFixtures.SharesState.class, "concurrentCallsGetTheirOwnAnswers");
    }

    // ---- store ----

    @Test
    void storeContractPassesASoundStore() {
        assertEquals(Map.of(), failures(StoreFixtures.Sound.class));
    }

    @Test
    void storeContractCatchesAStoreThatLosesAnOperationOnReopen() {
        assertFailsExactly(StoreFixtures.LosesTheLastOperationOnReopen.class,
                "everythingSurvivesCloseAndReopen", "writesAfterReopenAddToWhatWasThere");
    }

    // ---- pre-update check ----

    @Test
    void checkContractPassesASoundPlugin() {
        assertEquals(Map.of(), failures(CheckFixtures.Sound.class));
    }

    @Test
    void checkContractCatchesAPluginThatThrowsForAFailingCheck() {
        assertFailsExactly(CheckFixtures.ThrowsOnAFailingCheck.class, "aFailingCheckBlocksSayingWhy",
                "aCrashingCheckBlocksInsteadOfThrowing", "aCheckRemovedAfterItWasResolvedBlocksInsteadOfThrowing",
                "concurrentRunsEachGetTheirOwnVerdict");
    }

    @Test
    void checkContractCatchesAPluginThatResolvesOutsideItsDirectory() {
        assertFailsExactly(CheckFixtures.NoContainment.class, "referencesOutsideAreBadRequests");
    }

    @Test
    void checkContractCatchesAPluginThatListsWhatItCannotRun() {
        assertFailsExactly(CheckFixtures.ListsEverything.class,
                "everyAvailableCheckResolvesToItself", "somethingThatIsNotACheckIsNeitherListedNorResolved");
    }

    // ---- update strategy ----

    @Test
    void strategyContractPassesASoundStrategy() {
        assertEquals(Map.of(), failures(StrategyFixtures.Sound.class));
    }

    @Test
    void strategyContractCatchesAPlanThatChangesTheDefinition() {
        assertFailsExactly(StrategyFixtures.PlanWrites.class, "planChangesNothing");
    }

    @Test
    void strategyContractCatchesAnUndoThatLeavesTheNewContainer() {
        assertFailsExactly(StrategyFixtures.UndoLeavesTheNewContainer.class,
                "applyThenUndoReturnsToTheSnapshot", "recoverAfterApplyReturnsToTheSnapshot");
    }
}
