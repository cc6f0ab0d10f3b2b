package io.duetdb.client;

import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;

/** One attempt of a unary call: sends it on {@code channel} with {@code deadline}. */
@FunctionalInterface
interface Rpc<P> {
    void start(Channel channel, Deadline deadline, StreamObserver<P> observer);
}
