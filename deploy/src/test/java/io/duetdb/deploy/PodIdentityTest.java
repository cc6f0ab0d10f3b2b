package io.duetdb.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodIdentityTest {
    @Test
    void derivesTheSiblingsFromTheNameAndHost() {
        final PodIdentity pod = PodIdentity.of("orders-duet-1", "orders-duet-1.orders-duet-peers.shop.svc.cluster.local");
        assertEquals(new PodIdentity("orders-duet", 1, ".orders-duet-peers.shop.svc.cluster.local"), pod);
        assertEquals(List.of(
                "orders-duet-0=orders-duet-0.orders-duet-peers.shop.svc.cluster.local:7001:2379",
                "orders-duet-1=orders-duet-1.orders-duet-peers.shop.svc.cluster.local:7001:2379",
                "orders-duet-2=orders-duet-2.orders-duet-peers.shop.svc.cluster.local:7001:2379"),
            pod.members(3, 7001, 2379));
        assertEquals(List.of("orders-duet-0.orders-duet-peers.shop.svc.cluster.local",
            "orders-duet-2.orders-duet-peers.shop.svc.cluster.local"), pod.otherHosts(3));
    }

    @Test
    void ordinalsBeyondNineAreParsedWhole() {
        assertEquals(12, PodIdentity.of("duet-12", "duet-12.p.ns.svc.cluster.local").ordinal());
    }

    @Test
    void refusesWhatIsNotAStatefulSetPod() {
        final IllegalArgumentException noOrdinal = assertThrows(IllegalArgumentException.class,
            () -> PodIdentity.of("duet", "duet.p.ns.svc.cluster.local"));
        assertTrue(noOrdinal.getMessage().contains("not a StatefulSet pod name"), noOrdinal.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PodIdentity.of("duet-01", "duet-01.p.ns.svc"));
        assertThrows(IllegalArgumentException.class, () -> PodIdentity.of("Duet-0", "Duet-0.p.ns.svc"));
        final IllegalArgumentException otherHost = assertThrows(IllegalArgumentException.class,
            () -> PodIdentity.of("duet-0", "10.0.0.7"));
        assertTrue(otherHost.getMessage().contains("stable DNS name"), otherHost.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PodIdentity.of("duet-0", "duet-0."));
        assertThrows(IllegalArgumentException.class, () -> PodIdentity.of("duet-0", "duet-00.p.ns.svc"));
    }

    @Test
    void boundsTheInitialClusterSize() {
        final PodIdentity pod = PodIdentity.of("duet-0", "duet-0.p.ns.svc.cluster.local");
        assertThrows(IllegalArgumentException.class, () -> pod.members(0, 7001, 2379));
        assertThrows(IllegalArgumentException.class, () -> pod.members(PodIdentity.MAX_INITIAL_MEMBERS + 1, 7001, 2379));
        assertEquals(PodIdentity.MAX_INITIAL_MEMBERS, pod.members(PodIdentity.MAX_INITIAL_MEMBERS, 7001, 2379).size());
    }
}
