package io.duetdb.storage.recovery;

/** What recovery found for the completion of one index, after re-applying its intent. */
public enum CompletionState {
    /** A completion exists and its result checksum equals the re-applied result's. */
    MATCHES,
    /** A completion exists and its result checksum differs: the replay diverged from history. */
    DIFFERS,
    /** No completion: the node stopped between commit and completion (expected after a crash). */
    ABSENT,
    /** The completion log itself is damaged, so no completion can be trusted. */
    LOG_CORRUPT
}
