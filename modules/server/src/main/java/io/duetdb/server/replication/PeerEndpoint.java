package io.duetdb.server.replication;

/** Another member's id and the host:port of its Duet API (where its Replica service listens). */
public record PeerEndpoint(String id, String clientAddress) {
}
