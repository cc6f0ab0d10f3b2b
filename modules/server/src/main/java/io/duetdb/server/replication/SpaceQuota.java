package io.duetdb.server.replication;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The space quota: how many bytes the replicated store may hold ({@link io.duetdb.storage.table.SpaceCost}
 * counts them), enforced in two places.
 *
 * <ol>
 *   <li><b>At apply, deterministically</b> ({@link #admits}): a write that would add bytes is
 *       refused when the store's usage plus its growth would pass the quota carried in its entry
 *       (the proposer's setting, {@link IntentHeader}). Every replica computes the same usage from
 *       the same log and reads the same quota, so all refuse the same writes; a refused write
 *       changes nothing and is not recorded in its session, so its retry may apply later.
 *   <li><b>Before proposing, while the alarm is on</b> ({@link #checkBeforeProposing}): every
 *       write that would add bytes is refused at once, without a log entry.
 * </ol>
 *
 * <p>The alarm goes on when an apply refuses a write or usage reaches the quota, and off once
 * usage is at most {@link #RESUME_PERCENT}% of it (hysteresis: a full store does not flap between
 * one accepted and one refused write). Both come from applied entries, so every member raises and
 * clears it at the same entries: the write that first crosses the quota is proposed, and its
 * refusal at apply raises the alarm everywhere. A member that restarts starts with the alarm on
 * only if usage is at or past the quota; the next write refused at apply raises it again.
 *
 * <p>Writes that add nothing (deletes, puts of a value no larger than the one they replace, reads)
 * always pass: a full store can always be emptied.
 */
public final class SpaceQuota {
    /** Usage at or below this share of the quota clears the alarm. */
    public static final int RESUME_PERCENT = 95;

    private final long quotaBytes;
    private final LongAdder refusedBeforeProposing = new LongAdder();
    private final LongAdder refusedAtApply = new LongAdder();
    private volatile boolean alarm;

    /** @param quotaBytes this node's quota; 0 means none */
    public SpaceQuota(final long quotaBytes) {
        if (quotaBytes < 0) {
            throw new IllegalArgumentException("quotaBytes=" + quotaBytes + " must be >= 0 (0: no quota)");
        }
        this.quotaBytes = quotaBytes;
    }

    /** The refusal of a write that would pass the quota; nothing of it was applied. */
    public static final class SpaceExceededException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SpaceExceededException(final String message) {
            super(message);
        }
    }

    /**
     * The apply-time rule: whether a write adding {@code growthBytes} fits {@code quotaBytes} (0:
     * no quota) on a store using {@code usageBytes}. A pure function of replicated numbers.
     */
    public static boolean admits(final long quotaBytes, final long usageBytes, final long growthBytes) {
        return quotaBytes == 0 || growthBytes <= 0 || usageBytes + growthBytes <= quotaBytes;
    }

    /**
     * Refuses a write before it is proposed when it would add bytes while the alarm is on. The
     * growth is only asked for then: without the alarm this costs a volatile read.
     *
     * @throws SpaceExceededException saying the quota, the usage and what to do
     */
    public void checkBeforeProposing(final long usageBytes, final LongSupplier growthBytes) {
        if (!alarm || quotaBytes == 0) {
            return;
        }
        final long growth = growthBytes.getAsLong();
        if (growth > 0) {
            refusedBeforeProposing.increment();
            throw new SpaceExceededException(describe(quotaBytes, usageBytes, growth, true));
        }
    }

    /** The message of a refusal: what happened, the numbers, and how to get out of it. */
    public static String describe(final long quotaBytes, final long usageBytes, final long growthBytes,
                                  final boolean alarm) {
        return "space exceeded: the store uses " + usageBytes + " of its " + quotaBytes + "-byte quota"
            + (alarm ? " (the space alarm is on)" : "") + " and this write would add " + growthBytes
            + " bytes; delete keys to free space (writes resume once usage is at most " + RESUME_PERCENT
            + "% of the quota, " + resumeBelowBytes(quotaBytes) + " bytes) or raise --space-quota-bytes on "
            + "every member";
    }

    /** Called after every applied entry with the store's usage then, and whether a write was refused. */
    public void observe(final long usageBytes, final int refusedWrites) {
        if (refusedWrites > 0) {
            refusedAtApply.add(refusedWrites);
        }
        if (quotaBytes == 0) {
            return;
        }
        if (refusedWrites > 0 || usageBytes >= quotaBytes) {
            alarm = true;
        } else if (usageBytes <= resumeBelowBytes(quotaBytes)) {
            alarm = false;
        }
    }

    private static long resumeBelowBytes(final long quotaBytes) {
        return quotaBytes / 100 * RESUME_PERCENT;
    }

    /** This node's quota in bytes (0: none). */
    public long quotaBytes() {
        return quotaBytes;
    }

    /** Whether the space alarm is on: writes that add bytes are refused until usage falls. */
    public boolean alarm() {
        return alarm;
    }

    /** Writes this node refused before proposing them. */
    public long refusedBeforeProposing() {
        return refusedBeforeProposing.sum();
    }

    /** Writes this replica's applies refused (every replica refuses the same ones). */
    public long refusedAtApply() {
        return refusedAtApply.sum();
    }
}
