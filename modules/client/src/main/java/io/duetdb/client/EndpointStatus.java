package io.duetdb.client;

/**
 * One endpoint's answer to a status call: its status, or why it did not give one.
 *
 * @param endpoint the endpoint asked
 * @param status   its status, or null when it failed
 * @param error    why it failed, or null
 */
public record EndpointStatus(String endpoint, NodeStatus status, DuetException error) {
    public boolean ok() {
        return status != null;
    }
}
