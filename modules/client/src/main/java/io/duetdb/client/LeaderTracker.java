package io.duetdb.client;

import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.ResponseHeader;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.api.v1.StatusResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which endpoint is the leader, learned from {@code Maintenance.Status}.
 *
 * <p>A refresh asks every endpoint for its status at once. The leader is the endpoint whose own
 * status names itself as leader ({@code member_id == leader_id}); with several (an old leader
 * that has not noticed yet), the one with the highest Raft term. A node's word about another
 * node is not used: during an election followers still name the old leader, dead or not, and the
 * address a member advertises may not be one this client can or should dial. So when no
 * configured endpoint says it leads (an election is running, or the leader is not among the
 * endpoints), there is no preference: calls go round the endpoints, and followers forward writes.
 *
 * <p>A refresh runs on the first call, when the leader's endpoint turns out unreachable, and when
 * a reply carries a Raft term above the one the leader was learned at (an election happened).
 * At most one runs at a time, and they are at least {@link #MIN_REFRESH_INTERVAL_MS} apart so that
 * a cluster without a leader is not flooded with status calls.
 */
final class LeaderTracker {
    static final long MIN_REFRESH_INTERVAL_MS = 250;
    /** Asks only who leads: the table digest would make every node read all its keys while applies wait. */
    static final StatusRequest LEADER_ONLY = StatusRequest.newBuilder().setSkipDigest(true).build();

    /** An endpoint whose node said it leads, at {@code term}. */
    private record Leader(Endpoint endpoint, String memberId, long term) {
    }

    private final EndpointPool pool;
    private final long refreshTimeoutMs;
    private volatile Leader leader;
    private final AtomicReference<CompletableFuture<Endpoint>> refreshing = new AtomicReference<>();
    private volatile long lastRefreshStartNanos;

    LeaderTracker(final EndpointPool pool, final long refreshTimeoutMs) {
        this.pool = pool;
        this.refreshTimeoutMs = refreshTimeoutMs;
    }

    /**
     * The leader's endpoint: now when known, else after a refresh (null when there is none to
     * prefer). The future is the caller's own: completing or cancelling it affects nobody else.
     */
    CompletableFuture<Endpoint> leader() {
        final Leader l = leader;
        if (l != null && l.endpoint() != null) {
            return CompletableFuture.completedFuture(l.endpoint());
        }
        return refresh().copy();
    }

    /** The leader's endpoint if known now, else null. */
    Endpoint knownLeader() {
        final Leader l = leader;
        return l == null ? null : l.endpoint();
    }

    /** A reply arrived: a term above the leader's means an election happened since it was learned. */
    void observe(final ResponseHeader header) {
        final Leader l = leader;
        if (l != null && header.getRaftTerm() > l.term()) {
            refresh();
        }
    }

    /** {@code endpoint} could not be reached: if it was the leader, forget it and look again. */
    void unreachable(final Endpoint endpoint) {
        final Leader l = leader;
        if (l != null && l.endpoint() == endpoint) {
            leader = null;
            refresh();
        }
    }

    /** A status that {@code from} returned (to a caller of the public API): learn from it too. */
    void learn(final Endpoint from, final StatusResponse s) {
        if (!s.getLeaderId().isEmpty() && s.getLeaderId().equals(s.getMemberId())) {
            final Leader l = leader;
            if (l == null || s.getRaftTerm() >= l.term()) {
                leader = new Leader(from, s.getMemberId(), s.getRaftTerm());
            }
        }
    }

    /** Forgets the leader and looks again (after a leadership transfer). */
    CompletableFuture<Endpoint> forgetAndRefresh() {
        leader = null;
        lastRefreshStartNanos = 0;
        return refresh();
    }

    /**
     * Starts a refresh unless one runs or one started too recently. Returns the running refresh,
     * or (when one started too recently) the leader known now.
     */
    CompletableFuture<Endpoint> refresh() {
        final CompletableFuture<Endpoint> running = refreshing.get();
        if (running != null && !running.isDone()) {
            return running;
        }
        final long sinceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRefreshStartNanos);
        if (running != null && sinceMs < MIN_REFRESH_INTERVAL_MS) {
            // Not the finished refresh's answer: the leader may have been found unreachable since.
            return CompletableFuture.completedFuture(knownLeader());
        }
        final CompletableFuture<Endpoint> mine = new CompletableFuture<>();
        if (!refreshing.compareAndSet(running, mine)) {
            return refreshing.get();
        }
        lastRefreshStartNanos = System.nanoTime();
        askAll(mine);
        return mine;
    }

    private void askAll(final CompletableFuture<Endpoint> result) {
        final AtomicInteger pending = new AtomicInteger(pool.size());
        final Set<Endpoint> notLeading = ConcurrentHashMap.newKeySet();
        for (final Endpoint ep : pool.all()) {
            final UnaryObserver<StatusResponse> reply = new UnaryObserver<>();
            try {
                MaintenanceGrpc.newStub(ep.channel()).withDeadlineAfter(refreshTimeoutMs, TimeUnit.MILLISECONDS)
                    .status(LEADER_ONLY, reply);
            } catch (final RuntimeException e) {
                reply.onError(e);
            }
            reply.reply().whenComplete((s, error) -> {
                if (error == null && !s.getLeaderId().isEmpty() && s.getLeaderId().equals(s.getMemberId())) {
                    learn(ep, s);
                    // The first self-declared leader answers the callers waiting; a slower one
                    // with a higher term still replaces it in learn().
                    result.complete(knownLeader());
                } else if (error == null) {
                    notLeading.add(ep);
                }
                if (pending.decrementAndGet() == 0) {
                    final Leader l = leader;
                    if (l != null && notLeading.contains(l.endpoint())) {
                        leader = null; // it answered, and no longer leads
                    }
                    result.complete(knownLeader());
                }
            });
        }
    }
}
