(ns duet.jepsen.core
  "Runs a test map the way jepsen.core/run! does: network and database up on every node, client
  and nemesis set up, the generator interpreted into a history, everything torn down (also
  after a failure), then the checker, and the results written to the run's folder.

  A test map: :name, :nodes, :concurrency, :db, :client, :nemesis, :generator, :checker, :seed,
  :results-dir, :data-root and the options the parts read (see duet.jepsen.scenarios)."
  (:refer-clojure :exclude [run!])
  (:require [clojure.java.io :as io]
            [clojure.tools.logging :as log]
            [duet.jepsen.checker :as checker]
            [duet.jepsen.client :as client]
            [duet.jepsen.db :as db]
            [duet.jepsen.duet-db :as duet-db]
            [duet.jepsen.interpreter :as interpreter]
            [duet.jepsen.nemesis :as nemesis]
            [duet.jepsen.net :as net]
            [duet.jepsen.store :as store])
  (:import (java.io File)
           (java.util Random)))

(defn- on-all-nodes!
  "Runs (f node) on every node at once (as Jepsen's db cycle does); rethrows the first failure."
  [test f]
  (let [fs (mapv (fn [n] (future (f n))) (:nodes test))]
    (doseq [fu fs] @fu)))

(defn- quietly [what f]
  (try (f) (catch Throwable e (log/warn e what "failed"))))

(defn- run-case!
  "Brings everything up, runs the generator, tears everything down; returns the history."
  [test]
  (net/setup! (:nodes test))
  (try
    (on-all-nodes! test #(db/setup! (:db test) test %))
    (let [c (client/open! (:client test) test (first (:nodes test)))]
      (try (client/setup! c test) (finally (client/close! c test))))
    (let [nemesis (nemesis/setup! (:nemesis test) test)
          test (assoc test :nemesis nemesis)]
      (try
        (interpreter/run! test)
        (finally
          (quietly "nemesis teardown" #(nemesis/teardown! nemesis test)))))
    (finally
      (quietly "client teardown"
               #(let [c (client/open! (:client test) test (first (:nodes test)))]
                  (try (client/teardown! c test) (finally (client/close! c test)))))
      (quietly "db teardown" #(on-all-nodes! test (fn [n] (db/teardown! (:db test) test n))))
      (quietly "closing the db" #(duet-db/close! (:db test)))
      (quietly "network cleanup" net/cleanup!))))

(defn passed?
  "Whether the run met its expectation: :valid (every checker passed), or
  :invalid-linearizability (the sensitivity test: the linearizability checker must find an
  anomaly while the cluster itself healed as it should)."
  [test results]
  (case (:expect test :valid)
    :valid (true? (:valid? results))
    :invalid-linearizability (and (false? (get-in results [:workload :valid?]))
                                  (true? (get-in results [:faults :valid?])))))

(defn prepare
  "Fills in the seed, the seeded random source of the nemesis and the run's folders."
  [test]
  (let [seed (long (or (:seed test) (mod (System/currentTimeMillis) 1000000)))
        ^File dir (store/run-dir (:results-root test "target/results") (:name test))]
    (assoc test
           :seed seed
           :nemesis-rng (Random. (inc seed))
           :results-dir (str dir)
           :data-root (str (io/file (:data-root-base test "target/jepsen-data") (.getName dir))))))

(defn run!
  "Runs a test; returns {:test :history :results :passed? :elapsed-s}. Never throws for a failure
  of the system under test: that is a result."
  [test]
  (let [test (prepare test)
        t0 (System/nanoTime)
        _ (log/info "running" (:name test) "seed" (:seed test) "into" (:results-dir test))
        [history error] (try [(run-case! test) nil]
                             (catch Throwable e
                               (log/error e "the run failed")
                               [[] (str "the run failed: " e)]))
        results (if error
                  {:valid? :unknown :error error}
                  (try (checker/check (:checker test) test history {})
                       (catch Throwable e
                         (log/error e "a checker failed")
                         {:valid? :unknown :error (str "a checker failed: " e)})))
        passed (passed? test results)
        results (assoc results :passed? passed)
        elapsed-s (quot (- (System/nanoTime) t0) 1000000000)]
    (store/save! test history results elapsed-s)
    (when-not (:keep-data? test)
      (duet-db/delete-tree! (io/file (:data-root test))))
    {:test test :history history :results results :passed? passed :elapsed-s elapsed-s}))
