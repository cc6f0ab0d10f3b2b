package io.duetdb.storage.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cell of the recovery decision table, as docs/recovery.md states it. */
class RecoveryRuleTest {

    static Stream<Arguments> table() {
        final Stream.Builder<Arguments> rows = Stream.builder();
        for (final boolean replicas : new boolean[] {false, true}) {
            rows.add(Arguments.of(IntentState.VALID, CompletionState.MATCHES, replicas, RecoveryAction.REPLAY_VERIFIED));
            rows.add(Arguments.of(IntentState.VALID, CompletionState.DIFFERS, replicas, RecoveryAction.REFUSE));
            rows.add(Arguments.of(IntentState.VALID, CompletionState.ABSENT, replicas, RecoveryAction.REPLAY_AND_RECORD));
            rows.add(Arguments.of(IntentState.VALID, CompletionState.LOG_CORRUPT, replicas,
                RecoveryAction.REPLAY_AND_RECORD));
            rows.add(Arguments.of(IntentState.TORN_TAIL, CompletionState.MATCHES, replicas, RecoveryAction.REFUSE));
            rows.add(Arguments.of(IntentState.TORN_TAIL, CompletionState.DIFFERS, replicas, RecoveryAction.REFUSE));
            rows.add(Arguments.of(IntentState.TORN_TAIL, CompletionState.ABSENT, replicas, RecoveryAction.CUT));
            rows.add(Arguments.of(IntentState.TORN_TAIL, CompletionState.LOG_CORRUPT, replicas, RecoveryAction.CUT));
            final RecoveryAction damaged = replicas ? RecoveryAction.REPAIR_FROM_REPLICA : RecoveryAction.REFUSE;
            for (final CompletionState c : CompletionState.values()) {
                rows.add(Arguments.of(IntentState.CORRUPT, c, replicas, damaged));
                rows.add(Arguments.of(IntentState.MISSING, c, replicas, damaged));
            }
        }
        return rows.build();
    }

    @ParameterizedTest(name = "intent {0}, completion {1}, replicas {2} -> {3}")
    @MethodSource("table")
    void eachCellHasExactlyTheDocumentedAction(final IntentState intent, final CompletionState completion,
                                               final boolean replicas, final RecoveryAction expected) {
        assertEquals(expected, RecoveryRule.decide(intent, completion, replicas));
    }

    @Test
    void theTableCoversEveryCombinationExactlyOnce() {
        final Set<String> seen = new HashSet<>();
        table().forEach(a -> {
            final Object[] row = a.get();
            if (!seen.add(row[0] + "/" + row[1] + "/" + row[2])) {
                throw new AssertionError("duplicate row " + row[0] + "/" + row[1] + "/" + row[2]);
            }
        });
        assertEquals(EnumSet.allOf(IntentState.class).size() * EnumSet.allOf(CompletionState.class).size() * 2,
            seen.size());
    }
}
