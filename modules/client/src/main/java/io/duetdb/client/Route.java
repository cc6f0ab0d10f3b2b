package io.duetdb.client;

/** Where a call's attempts go. */
enum Route {
    /** To the leader when it is known (writes save a forwarding hop; reads a ReadIndex round trip). */
    LEADER,
    /** To any endpoint, in rotation (serializable reads: each node answers from its own state). */
    ANY,
    /** To one given endpoint only. */
    FIXED
}
