package io.duetdb.deploy;

import io.duetdb.server.DuetNodeMain;
import io.duetdb.server.config.ConfigLoader;
import io.duetdb.server.config.NodeConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The image's {@code duet} entry point. Outside Kubernetes it is {@code duet server}: the arguments
 * go to {@link DuetNodeMain} unchanged. In a StatefulSet pod ({@value #INITIAL_MEMBERS_ENV} set) it
 * first derives what the server cannot know by itself, then starts the node with it:
 * <ul>
 *   <li>{@code --members}: the pods {@code 0..N-1} of the StatefulSet, from the node id (the pod
 *       name) and its host (the pod's stable DNS name under the headless Service), see {@link PodIdentity};</li>
 *   <li>{@code --join}: by {@link StartDecision}, recorded in the data directory by {@link DataDir}.</li>
 * </ul>
 * Every other setting (ports, data directory, TLS, tuning) is read by the server itself from its
 * YAML file, {@code DUET_*} variables and flags; the launcher reads them the same way.
 */
public final class ContainerMain {
    /** The initial cluster size (the StatefulSet's replicas at creation); it turns the pod mode on. */
    public static final String INITIAL_MEMBERS_ENV = "DUET_K8S_INITIAL_MEMBERS";

    /** Stand-ins that let the server's loader resolve every other setting before members are known. */
    private static final List<String> PLACEHOLDER_MEMBERSHIP = List.of("--members", "placeholder=localhost:1:2",
        "--join=true");

    private ContainerMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final Map<String, String> env = System.getenv();
        if (!env.containsKey(INITIAL_MEMBERS_ENV) || Arrays.asList(args).contains("--help")
            || Arrays.asList(args).contains("-h")) {
            DuetNodeMain.main(args);
            return;
        }
        final List<String> nodeArgs;
        try {
            final NodeConfig resolved = resolve(args, env);
            nodeArgs = plan(args, env, resolved, new LeaderProbe(resolved.clientPort(), resolved.tls()));
        } catch (final IllegalArgumentException | IOException e) {
            System.err.println("duet: cannot start this pod's node: " + e.getMessage());
            System.exit(DuetNodeMain.EXIT_BAD_START);
            return;
        }
        DuetNodeMain.main(nodeArgs.toArray(String[]::new));
    }

    /** Every setting as the server will see it, membership aside. */
    static NodeConfig resolve(final String[] args, final Map<String, String> env) {
        for (final String a : args) {
            if (a.equals("--members") || a.startsWith("--members=") || a.equals("--join") || a.startsWith("--join=")) {
                throw new IllegalArgumentException(a + ": in a pod the member list and --join are derived ("
                    + INITIAL_MEMBERS_ENV + " is set); do not pass them");
            }
        }
        if (env.containsKey("DUET_MEMBERS") || env.containsKey("DUET_JOIN")) {
            throw new IllegalArgumentException("DUET_MEMBERS/DUET_JOIN: in a pod the member list and join are derived ("
                + INITIAL_MEMBERS_ENV + " is set); remove them");
        }
        final List<String> withPlaceholder = new ArrayList<>(Arrays.asList(args));
        withPlaceholder.addAll(PLACEHOLDER_MEMBERSHIP);
        return ConfigLoader.load(withPlaceholder.toArray(String[]::new), env);
    }

    /**
     * The node's arguments: {@code args} followed by the derived {@code --members} and {@code --join}.
     * Records the start mode in the data directory when it was decided on an empty one.
     */
    static List<String> plan(final String[] args, final Map<String, String> env, final NodeConfig config,
                             final Function<List<String>, Optional<String>> leaderProbe) throws IOException {
        final int initialMembers = initialMembers(env.get(INITIAL_MEMBERS_ENV));
        final PodIdentity pod = PodIdentity.of(config.id(), config.host());
        final boolean holdsState = DataDir.holdsState(config.dataDir());
        final StartDecision decision = StartDecision.decide(pod, initialMembers, holdsState,
            holdsState ? DataDir.readMarker(config.dataDir()) : Optional.empty(), leaderProbe);
        if (!holdsState) {
            DataDir.writeMarker(config.dataDir(), decision.mode());
        }
        final List<String> members = new ArrayList<>(pod.members(initialMembers, config.peerPort(),
            config.clientPort()));
        if (decision.mode() == StartMode.JOIN && members.size() > 1) {
            // the members it can ask for the leader; itself it is not, until added
            members.removeIf(m -> m.startsWith(config.id() + "="));
        }
        final List<String> out = new ArrayList<>(Arrays.asList(args));
        out.add("--members");
        out.add(String.join(",", members));
        out.add("--join=" + (decision.mode() == StartMode.JOIN));
        System.err.println("duet: pod " + config.id() + " (ordinal " + pod.ordinal() + ", " + initialMembers
            + " initial members): " + decision.reason() + "; starting with --join=" + (decision.mode() == StartMode.JOIN)
            + " --members " + String.join(",", members));
        return out;
    }

    static int initialMembers(final String text) {
        try {
            final int n = Integer.parseInt(text.strip());
            PodIdentity.checkInitialMembers(n);
            return n;
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(INITIAL_MEMBERS_ENV + "='" + text + "' is not a number: set it to the "
                + "StatefulSet's replica count at creation");
        }
    }
}
