package io.duetdb.client;

/**
 * A finished leadership transfer.
 *
 * @param header   the reply's header
 * @param leaderId the member that leads now
 */
public record MoveLeaderResult(Header header, String leaderId) {
}
