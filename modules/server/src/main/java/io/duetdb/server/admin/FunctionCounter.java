package io.duetdb.server.admin;

import com.codahale.metrics.Gauge;

/**
 * A gauge whose value only grows (a total kept elsewhere, e.g. a log's appended bytes), so that
 * the exposition types it {@code counter} and {@code rate()} works on it. Dropwizard has no such
 * kind: to the registry and to JMX it is an ordinary gauge.
 *
 * <p>Register with a cast: {@code registry.register(name, (FunctionCounter) () -> stats.bytes())}.
 */
@FunctionalInterface
public interface FunctionCounter extends Gauge<Number> {
}
