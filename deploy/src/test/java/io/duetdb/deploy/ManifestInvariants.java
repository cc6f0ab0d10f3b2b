package io.duetdb.deploy;

import io.duetdb.server.config.NodeConfig;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1PodAffinityTerm;
import io.kubernetes.client.openapi.models.V1PodAntiAffinity;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1WeightedPodAffinityTerm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules every rendering of Duet's manifests keeps, the kustomize overlays and the Helm chart
 * alike. {@link #check} returns one line per broken rule (empty: all hold). The ports, addresses
 * and members are not read off the YAML but from what the server would run with: each pod goes
 * through the image's launcher and the server's configuration loader ({@link RenderedPod}).
 */
final class ManifestInvariants {
    private static final String HOSTNAME_TOPOLOGY = "kubernetes.io/hostname";
    /** duetctl move-leader waits up to 40 s; the node then needs a moment to stop. */
    private static final long MIN_GRACE_SECONDS = 45;

    private final List<Object> objects;
    private final Path scratch;
    private final List<String> violations = new ArrayList<>();

    private ManifestInvariants(final List<Object> objects, final Path scratch) {
        this.objects = objects;
        this.scratch = scratch;
    }

    static List<String> check(final List<Object> objects, final Path scratch) throws IOException {
        final ManifestInvariants rules = new ManifestInvariants(objects, scratch);
        rules.checkAll();
        return rules.violations;
    }

    private void fail(final String message) {
        violations.add(message);
    }

    private <T> List<T> all(final Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private void checkAll() throws IOException {
        final List<V1StatefulSet> sets = all(V1StatefulSet.class);
        if (sets.size() != 1) {
            fail("expected one StatefulSet, found " + sets.size());
            return;
        }
        final V1StatefulSet sts = sets.get(0);
        final V1PodSpec pod = sts.getSpec().getTemplate().getSpec();
        final Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
        final V1Container duet = pod.getContainers().stream().filter(c -> c.getName().equals("duet")).findFirst()
            .orElse(null);
        if (duet == null) {
            fail("the pod has no container named duet");
            return;
        }
        final int replicas = Optional.ofNullable(sts.getSpec().getReplicas()).orElse(1);

        if (!"Parallel".equals(sts.getSpec().getPodManagementPolicy())) {
            fail("podManagementPolicy is " + sts.getSpec().getPodManagementPolicy() + ", not Parallel: duet-0 would "
                + "wait to be ready, which needs a leader, which needs the others");
        }
        if (replicas % 2 == 0) {
            fail("replicas " + replicas + " is even: a Raft group of " + replicas + " tolerates no more failures than "
                + (replicas - 1));
        }
        if (!matches(sts.getSpec().getSelector(), podLabels)) {
            fail("the StatefulSet's selector does not select its own pod template");
        }
        checkStorage(sts);
        checkSecurity(pod);
        checkPlacement(pod, podLabels);
        checkResources(duet);
        checkServiceAccount(pod);
        checkDisruptionBudget(sts, podLabels);

        final RenderedPod first;
        try {
            first = RenderedPod.of(sts, duet, all(V1ConfigMap.class), 0, scratch);
        } catch (final RenderedPod.Unstartable e) {
            fail(e.getMessage());
            return;
        }
        final NodeConfig node = first.config();
        violations.addAll(MemoryBudget.violations(duet, first));
        checkProbes(duet, node);
        checkPreStop(duet, node, pod);
        checkServices(sts, duet, podLabels, node);
        checkPeerList(sts, duet, replicas);
    }

    // ---- storage, security, placement, resources ------------------------------------------------

    private void checkStorage(final V1StatefulSet sts) {
        if (sts.getSpec().getVolumeClaimTemplates() == null || sts.getSpec().getVolumeClaimTemplates().isEmpty()) {
            fail("no volumeClaimTemplates: members would lose their data with their pods");
        }
        final var retention = sts.getSpec().getPersistentVolumeClaimRetentionPolicy();
        if (retention == null || retention.getWhenDeleted() == null || retention.getWhenScaled() == null) {
            fail("persistentVolumeClaimRetentionPolicy must be explicit (whenDeleted and whenScaled)");
        }
    }

    private void checkSecurity(final V1PodSpec pod) {
        violations.addAll(securityViolations(pod));
    }

    /** No container of {@code pod} may run as root, escalate, write its root file system or keep capabilities. */
    static List<String> securityViolations(final V1PodSpec pod) {
        final List<String> violations = new ArrayList<>();
        final V1PodSecurityContext podSc = pod.getSecurityContext();
        if (podSc == null || podSc.getSeccompProfile() == null
            || !"RuntimeDefault".equals(podSc.getSeccompProfile().getType())) {
            violations.add("the pod has no RuntimeDefault seccomp profile");
        }
        final List<V1Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (final V1Container c : containers) {
            final V1SecurityContext sc = c.getSecurityContext();
            final Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot()
                : podSc == null ? null : podSc.getRunAsNonRoot();
            final Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
                : podSc == null ? null : podSc.getRunAsUser();
            if (!Boolean.TRUE.equals(nonRoot) || user == null || user == 0) {
                violations.add("container " + c.getName() + " may run as root (runAsNonRoot " + nonRoot
                    + ", runAsUser " + user + ")");
            }
            if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())
                || Boolean.TRUE.equals(sc.getPrivileged())) {
                violations.add("container " + c.getName() + " may escalate privileges");
            }
            if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                violations.add("container " + c.getName() + " has a writable root file system");
            }
            if (sc == null || sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
                || !sc.getCapabilities().getDrop().contains("ALL") || !empty(sc.getCapabilities().getAdd())) {
                violations.add("container " + c.getName() + " keeps Linux capabilities (drop ALL, add none)");
            }
        }
        return violations;
    }

    private void checkPlacement(final V1PodSpec pod, final Map<String, String> podLabels) {
        final V1PodAntiAffinity anti = pod.getAffinity() == null ? null : pod.getAffinity().getPodAntiAffinity();
        final List<V1PodAffinityTerm> terms = new ArrayList<>();
        if (anti != null && anti.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            terms.addAll(anti.getRequiredDuringSchedulingIgnoredDuringExecution());
        }
        if (anti != null && anti.getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
            for (final V1WeightedPodAffinityTerm w : anti.getPreferredDuringSchedulingIgnoredDuringExecution()) {
                terms.add(w.getPodAffinityTerm());
            }
        }
        if (terms.stream().noneMatch(t -> HOSTNAME_TOPOLOGY.equals(t.getTopologyKey())
            && matches(t.getLabelSelector(), podLabels))) {
            fail("no pod anti-affinity on " + HOSTNAME_TOPOLOGY + " selecting these pods: members may share a node");
        }
    }

    private void checkResources(final V1Container c) {
        final var r = c.getResources();
        final Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
        final Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
        if (!requests.containsKey("cpu") || !requests.containsKey("memory")) {
            fail("container " + c.getName() + " requests no cpu or no memory");
            return;
        }
        if (!limits.containsKey("memory")
            || limits.get("memory").getNumber().compareTo(requests.get("memory").getNumber()) < 0) {
            fail("container " + c.getName() + " has no memory limit at or above its request");
        }
    }

    private void checkServiceAccount(final V1PodSpec pod) {
        final String name = pod.getServiceAccountName();
        if (name == null || all(V1ServiceAccount.class).stream().noneMatch(a -> a.getMetadata().getName().equals(name))) {
            fail("the pods' service account " + name + " is not rendered with them");
        }
        if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
            fail("the pods get an API token they do not need (automountServiceAccountToken)");
        }
    }

    private void checkDisruptionBudget(final V1StatefulSet sts, final Map<String, String> podLabels) {
        final List<V1PodDisruptionBudget> budgets = all(V1PodDisruptionBudget.class).stream()
            .filter(b -> matches(b.getSpec().getSelector(), podLabels)).toList();
        if (budgets.size() != 1) {
            fail("expected one PodDisruptionBudget selecting the pods, found " + budgets.size() + " (of "
                + all(V1PodDisruptionBudget.class).size() + ")");
            return;
        }
        final V1PodDisruptionBudget pdb = budgets.get(0);
        if (!new IntOrString(1).equals(pdb.getSpec().getMaxUnavailable()) || pdb.getSpec().getMinAvailable() != null) {
            fail("the PodDisruptionBudget must say maxUnavailable: 1 (and no minAvailable)");
        }
        if (!Objects.equals(pdb.getMetadata().getNamespace(), sts.getMetadata().getNamespace())) {
            fail("the PodDisruptionBudget is in namespace " + pdb.getMetadata().getNamespace() + ", the pods in "
                + sts.getMetadata().getNamespace());
        }
    }

    // ---- probes and the preStop hook, against the ports the node really uses -----------------------

    private void checkProbes(final V1Container c, final NodeConfig node) {
        final V1Probe readiness = c.getReadinessProbe();
        final V1Probe liveness = c.getLivenessProbe();
        if (readiness == null || liveness == null) {
            fail("container " + c.getName() + " needs a readiness and a liveness probe");
            return;
        }
        if (readiness.getGrpc() != null) {
            checkProbePort(c, "readiness (gRPC)", readiness.getGrpc().getPort(), node.clientPort(), "client-port");
            if (node.tls().enabled()) {
                fail("readiness probes gRPC on a TLS port: kubelet's gRPC probe speaks plaintext; probe /readyz");
            }
        } else if (readiness.getHttpGet() != null && "/readyz".equals(readiness.getHttpGet().getPath())) {
            checkProbePort(c, "readiness (/readyz)", portNumber(c, readiness.getHttpGet().getPort()), node.adminPort(),
                "admin-port");
        } else {
            fail("readiness must be the gRPC health service on the client port or /readyz on the admin port");
        }
        if (liveness.getHttpGet() == null || !"/livez".equals(liveness.getHttpGet().getPath())) {
            fail("liveness must be /livez (the gRPC health service reports readiness: a member catching up would be "
                + "restarted over and over)");
        } else {
            checkProbePort(c, "liveness (/livez)", portNumber(c, liveness.getHttpGet().getPort()), node.adminPort(),
                "admin-port");
        }
        final V1Probe startup = c.getStartupProbe();
        if (startup != null && startup.getHttpGet() != null) {
            checkProbePort(c, "startup", portNumber(c, startup.getHttpGet().getPort()), node.adminPort(), "admin-port");
        }
    }

    private void checkProbePort(final V1Container c, final String probe, final Integer port, final int serverPort,
                                final String setting) {
        if (port == null || declared(c).stream().noneMatch(p -> p.getContainerPort().equals(port))) {
            fail(probe + " probe port " + port + " is not a declared container port");
        }
        if (port == null || port != serverPort) {
            fail(probe + " probe port " + port + " is not the node's " + setting + " " + serverPort);
        }
    }

    private void checkPreStop(final V1Container c, final NodeConfig node, final V1PodSpec pod) {
        final var preStop = c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
        final List<String> cmd = preStop == null || preStop.getExec() == null ? List.of() : preStop.getExec().getCommand();
        final String line = String.join(" ", cmd);
        if (!line.contains("duetctl") || !line.contains("move-leader") || !line.contains("--away")) {
            fail("no preStop hook running duetctl move-leader --away: a stopping leader would leave an election behind");
            return;
        }
        if (line.contains("127.0.0.1:")) {
            final String port = line.replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1");
            if (!port.equals(String.valueOf(node.clientPort()))) {
                fail("the preStop hook dials 127.0.0.1:" + port + ", not the client port " + node.clientPort());
            }
            if (!node.listenHost().equals("0.0.0.0") && !node.listenHost().equals("127.0.0.1")) {
                fail("the preStop hook dials 127.0.0.1 but the node listens on " + node.listenHost());
            }
        } else if (!line.contains("$DUET_HOST:$DUET_CLIENT_PORT")) {
            fail("the preStop hook dials neither 127.0.0.1:<client port> nor $DUET_HOST:$DUET_CLIENT_PORT");
        }
        if (node.tls().enabled() && !(line.contains("--cacert") && line.contains("--cert") && line.contains("--key"))) {
            fail("the preStop hook does not pass the TLS files (--cacert, --cert, --key) to duetctl");
        }
        final Long grace = pod.getTerminationGracePeriodSeconds();
        if (grace == null || grace < MIN_GRACE_SECONDS) {
            fail("terminationGracePeriodSeconds " + grace + " leaves move-leader (up to 40 s) too little time");
        }
    }

    // ---- Services and the member list -------------------------------------------------------------

    private void checkServices(final V1StatefulSet sts, final V1Container c, final Map<String, String> podLabels,
                               final NodeConfig node) {
        final String peersName = sts.getSpec().getServiceName();
        final V1Service peers = all(V1Service.class).stream().filter(s -> s.getMetadata().getName().equals(peersName))
            .findFirst().orElse(null);
        if (peers == null) {
            fail("serviceName " + peersName + " is not a rendered Service");
            return;
        }
        if (!"None".equals(peers.getSpec().getClusterIP())
            || !Boolean.TRUE.equals(peers.getSpec().getPublishNotReadyAddresses())) {
            fail("Service " + peersName + " must be headless (clusterIP: None) with publishNotReadyAddresses: members "
                + "must resolve each other before they are ready");
        }
        checkServicePorts(peers, c, Map.of("peer", node.peerPort(), "client", node.clientPort()));
        final List<V1Service> clients = all(V1Service.class).stream()
            .filter(s -> !"None".equals(s.getSpec().getClusterIP())).toList();
        if (clients.isEmpty()) {
            fail("no client Service (a ClusterIP Service routing to ready members)");
        }
        for (final V1Service s : all(V1Service.class)) {
            if (s.getSpec().getSelector() == null || !s.getSpec().getSelector().entrySet().stream()
                .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())))) {
                fail("Service " + s.getMetadata().getName() + " does not select the pods");
            }
        }
        for (final V1Service s : clients) {
            checkServicePorts(s, c, Map.of("client", node.clientPort()));
        }
    }

    /** Each named Service port must reach the container port the node really listens on. */
    private void checkServicePorts(final V1Service s, final V1Container c, final Map<String, Integer> wanted) {
        for (final Map.Entry<String, Integer> w : wanted.entrySet()) {
            final V1ServicePort sp = s.getSpec().getPorts().stream().filter(p -> w.getKey().equals(p.getName()))
                .findFirst().orElse(null);
            final Integer target = sp == null ? null : portNumber(c, sp.getTargetPort() != null ? sp.getTargetPort()
                : new IntOrString(sp.getPort()));
            if (target == null || !target.equals(w.getValue())) {
                fail("Service " + s.getMetadata().getName() + " port " + w.getKey() + " reaches container port " + target
                    + ", but the node's " + w.getKey() + " port is " + w.getValue());
            }
        }
    }

    /** Every initial member computes the same list: one entry per replica, named and addressed as the pods are. */
    private void checkPeerList(final V1StatefulSet sts, final V1Container c, final int replicas) throws IOException {
        final String name = sts.getMetadata().getName();
        final String domain = "." + sts.getSpec().getServiceName() + "."
            + Optional.ofNullable(sts.getMetadata().getNamespace()).orElse("default") + ".svc.";
        List<String> first = null;
        for (int ordinal = 0; ordinal <= replicas; ordinal++) {
            final NodeConfig node;
            try {
                node = RenderedPod.of(sts, c, all(V1ConfigMap.class), ordinal, scratch).config();
            } catch (final RenderedPod.Unstartable e) {
                fail(e.getMessage());
                return;
            }
            final List<String> members = node.members().stream().map(NodeConfig.Member::toString).toList();
            if (ordinal == replicas) {
                if (!node.join()) {
                    fail("pod " + name + "-" + ordinal + " (a scale-up beyond " + replicas + " replicas) would not join");
                }
                continue;
            }
            if (node.join()) {
                fail("pod " + name + "-" + ordinal + " would join instead of forming the initial cluster");
            }
            if (members.size() != replicas) {
                fail("pod " + name + "-" + ordinal + " computes " + members.size() + " members for " + replicas
                    + " replicas (DUET_K8S_INITIAL_MEMBERS must equal replicas): " + members);
                return;
            }
            for (int i = 0; i < replicas; i++) {
                final NodeConfig.Member m = node.members().get(i);
                if (!m.id().equals(name + "-" + i) || !m.host().startsWith(name + "-" + i + domain)
                    || m.peerPort() != node.peerPort() || m.clientPort() != node.clientPort()) {
                    fail("member " + m + " is not pod " + name + "-" + i + " at " + name + "-" + i + domain
                        + "... with the node's ports " + node.peerPort() + "/" + node.clientPort());
                }
            }
            if (!node.id().equals(name + "-" + ordinal) || !node.host().startsWith(name + "-" + ordinal + domain)) {
                fail("pod " + name + "-" + ordinal + " runs as " + node.id() + " at " + node.host());
            }
            if (first == null) {
                first = members;
            } else if (!first.equals(members)) {
                fail("pods compute different member lists: " + first + " and " + members);
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static List<V1ContainerPort> declared(final V1Container c) {
        return c.getPorts() == null ? List.of() : c.getPorts();
    }

    /** A port given by number or by the name of a declared container port; null when it names none. */
    static Integer portNumber(final V1Container c, final IntOrString port) {
        if (port == null) {
            return null;
        }
        if (port.isInteger()) {
            return port.getIntValue();
        }
        return declared(c).stream().filter(p -> port.getStrValue().equals(p.getName()))
            .map(V1ContainerPort::getContainerPort).findFirst().orElse(null);
    }

    /** The model leaves absent lists null or empty, depending on the field. */
    private static boolean empty(final List<?> list) {
        return list == null || list.isEmpty();
    }

    /** Whether a selector (matchLabels only) selects pods with these labels. */
    static boolean matches(final V1LabelSelector selector, final Map<String, String> labels) {
        if (selector == null || !empty(selector.getMatchExpressions()) || selector.getMatchLabels() == null
            || selector.getMatchLabels().isEmpty()) {
            return false;
        }
        return selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
