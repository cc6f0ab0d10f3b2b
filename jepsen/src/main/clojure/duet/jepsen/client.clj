(ns duet.jepsen.client
  "The client protocol, with Jepsen's names and contract (jepsen.client). The Duet clients are in
  duet.jepsen.duet-client.")

(defprotocol Client
  (open! [client test node]
    "A copy of this client bound to `node`, for one process. Called again for each new process
    (a process whose op ended :info is retired and its thread gets a new one).")
  (setup! [client test] "Once, before the workload. Often a no-op.")
  (invoke! [client test op]
    "Performs an :invoke op; returns its completion: the op with :type :ok, :fail or :info.
    :fail only when the operation certainly did not take effect, :info when it may have.")
  (teardown! [client test] "Once, after the workload.")
  (close! [client test] "Releases what open! acquired."))
