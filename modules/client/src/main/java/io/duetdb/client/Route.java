package io.duetdb.client;

/** Where a call's attempts go. */
enum Route {
    /** To the leader when it is known (writes and linearizable reads save a forwarding hop). */
    LEADER,
    /** To any endpoint, in rotation (serializable reads: each node answers from its own state). */
    ANY,
    /** To one given endpoint only. */
    FIXED
}
