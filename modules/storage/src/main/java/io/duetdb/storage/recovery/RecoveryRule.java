package io.duetdb.storage.recovery;

/**
 * The recovery rule as one decision table (docs/recovery.md holds the same table; the tests
 * check every cell). Each combination maps to exactly one action.
 *
 * <pre>
 *                  completion: MATCHES          DIFFERS   ABSENT             LOG_CORRUPT
 *  intent VALID                REPLAY_VERIFIED  REFUSE    REPLAY_AND_RECORD  REPLAY_AND_RECORD
 *  intent TORN_TAIL            REFUSE           REFUSE    CUT                CUT
 *  intent CORRUPT / MISSING    repair from a replica if the node has one, else REFUSE
 * </pre>
 *
 * <p>Why a completion next to a torn intent refuses: a completion is written only after the intent
 * was durable and applied, so the pair means the "torn" record was in fact damaged after the fact.
 * Why DIFFERS refuses: re-applying the same intents must give the same results; if not, either
 * the intents or the checkpoint are not what was applied, and serving would spread the divergence.
 */
public final class RecoveryRule {
    private RecoveryRule() {
    }

    /**
     * Decides one index.
     *
     * @param hasReplicas whether peers exist that can supply a verified copy of an intent
     */
    public static RecoveryAction decide(final IntentState intent, final CompletionState completion,
                                        final boolean hasReplicas) {
        switch (intent) {
            case VALID:
                switch (completion) {
                    case MATCHES:
                        return RecoveryAction.REPLAY_VERIFIED;
                    case DIFFERS:
                        return RecoveryAction.REFUSE;
                    case ABSENT:
                    case LOG_CORRUPT:
                        return RecoveryAction.REPLAY_AND_RECORD;
                    default:
                        throw new IllegalArgumentException("completion=" + completion);
                }
            case TORN_TAIL:
                return completion == CompletionState.ABSENT || completion == CompletionState.LOG_CORRUPT
                    ? RecoveryAction.CUT : RecoveryAction.REFUSE;
            case CORRUPT:
            case MISSING:
                return hasReplicas ? RecoveryAction.REPAIR_FROM_REPLICA : RecoveryAction.REFUSE;
            default:
                throw new IllegalArgumentException("intent=" + intent);
        }
    }
}
