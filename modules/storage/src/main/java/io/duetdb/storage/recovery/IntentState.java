package io.duetdb.storage.recovery;

/** What recovery found for the intent of one index above the checkpoint. */
public enum IntentState {
    /** Present and every checksum verifies. */
    VALID,
    /** The partial last record a crash left: its write never completed, so it was never acknowledged. */
    TORN_TAIL,
    /** Present but failing a checksum (or out of place) somewhere other than a torn tail. */
    CORRUPT,
    /** Absent although the log's structure says it was written (a missing segment, a cut file). */
    MISSING
}
