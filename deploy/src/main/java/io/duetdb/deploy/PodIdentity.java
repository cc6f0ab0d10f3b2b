package io.duetdb.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A StatefulSet pod's place in the cluster, read from its node id (the pod name, {@code NAME-ORDINAL})
 * and its host (the pod's stable DNS name, {@code NAME-ORDINAL.SERVICE.NAMESPACE.svc.DOMAIN}). Every
 * sibling's host is the same name with another ordinal, which is how the member list is derived.
 *
 * @param statefulSet  the StatefulSet's name (the pod name without {@code -ORDINAL})
 * @param ordinal      this pod's ordinal
 * @param domainSuffix what follows the pod name in its host, starting with a dot
 */
public record PodIdentity(String statefulSet, int ordinal, String domainSuffix) {
    /** The most initial members accepted: Raft groups beyond this size only add latency. */
    public static final int MAX_INITIAL_MEMBERS = 15;

    /** Ordinals far beyond any real StatefulSet are a typo, not a pod. */
    private static final int MAX_ORDINAL = 9_999;

    private static final Pattern POD_NAME = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)-(0|[1-9][0-9]{0,3})");

    public PodIdentity {
        if (ordinal < 0 || ordinal > MAX_ORDINAL || !domainSuffix.startsWith(".") || domainSuffix.length() < 2) {
            throw new IllegalArgumentException("bad pod identity " + statefulSet + "-" + ordinal + domainSuffix);
        }
    }

    /**
     * Reads a pod's identity.
     *
     * @throws IllegalArgumentException naming the fix, when {@code id} is not a StatefulSet pod name or
     *     {@code host} is not {@code id} followed by a domain
     */
    public static PodIdentity of(final String id, final String host) {
        final Matcher m = POD_NAME.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("id '" + id + "' is not a StatefulSet pod name (NAME-ORDINAL): set "
                + "DUET_ID to the pod name (fieldRef metadata.name)");
        }
        if (!host.startsWith(id + ".") || host.length() == id.length() + 1) {
            throw new IllegalArgumentException("host '" + host + "' is not the pod's stable DNS name '" + id
                + ".SERVICE.NAMESPACE.svc.DOMAIN': set DUET_HOST to $(POD_NAME).<headless service>.$(POD_NAMESPACE)"
                + ".svc.<cluster domain>");
        }
        return new PodIdentity(m.group(1), Integer.parseInt(m.group(3)), host.substring(id.length()));
    }

    public String podName(final int ordinalOfPod) {
        return statefulSet + "-" + ordinalOfPod;
    }

    public String host(final int ordinalOfPod) {
        return podName(ordinalOfPod) + domainSuffix;
    }

    /** {@code ID=HOST:PEER_PORT:CLIENT_PORT} of the pods with ordinals {@code 0..count-1}. */
    public List<String> members(final int count, final int peerPort, final int clientPort) {
        checkInitialMembers(count);
        final List<String> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(podName(i) + "=" + host(i) + ":" + peerPort + ":" + clientPort);
        }
        return members;
    }

    /** The hosts of the pods with ordinals {@code 0..count-1} except this one. */
    public List<String> otherHosts(final int count) {
        checkInitialMembers(count);
        final List<String> hosts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (i != ordinal) {
                hosts.add(host(i));
            }
        }
        return hosts;
    }

    static void checkInitialMembers(final int count) {
        if (count < 1 || count > MAX_INITIAL_MEMBERS) {
            throw new IllegalArgumentException("initial members " + count + ": want 1.." + MAX_INITIAL_MEMBERS);
        }
    }
}
