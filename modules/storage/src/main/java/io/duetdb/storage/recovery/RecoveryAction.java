package io.duetdb.storage.recovery;

/** The one thing recovery does for an index. */
public enum RecoveryAction {
    /** Re-apply the intent; its completion confirms the result. */
    REPLAY_VERIFIED,
    /** Re-apply the intent and append the missing completion. */
    REPLAY_AND_RECORD,
    /** Drop it: it was never acknowledged (a torn tail). */
    CUT,
    /** Fetch the intent from a replica, verify it against the Raft header checksum, rewrite, replay. */
    REPAIR_FROM_REPLICA,
    /** Stop and say where: serving would mean serving data that may be wrong or incomplete. */
    REFUSE
}
