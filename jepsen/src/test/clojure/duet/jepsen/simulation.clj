(ns duet.jepsen.simulation
  "Runs a generator without threads or clocks, for tests: every op takes a fixed latency
  (a :sleep op its own duration) and completes as `complete` says. The same rules as the
  interpreter: ops go to the thread of their process, a completion frees its thread, an :info
  completion retires the process (the thread continues as process + concurrency)."
  (:require [duet.jepsen.generator :as gen])
  (:import (java.util Random)))

(defn simulate
  "Returns the history (invocations and completions, without :sleep and :log ops)."
  [generator {:keys [concurrency latency-nanos complete max-steps test]
              :or {concurrency 3, latency-nanos 1000000, complete #(assoc % :type :ok), max-steps 100000, test {}}}]
  (let [threads (conj (vec (range concurrency)) :nemesis)
        schedule-only? #(#{:sleep :log} (:type %))]
    (loop [g generator
           ctx {:time 0 :free-threads (set threads) :workers (zipmap threads threads)
                :concurrency concurrency :rng (Random. 42)}
           in-flight []
           history []
           steps 0]
      (when (>= steps max-steps)
        (throw (ex-info "the simulation did not finish" {:steps steps})))
      (let [[due & later] (sort-by first in-flight)
            r (gen/op g test ctx)]
        (cond
          (and due (or (nil? r) (= :pending (first r)) (<= (first due) (:time (first r)))))
          (let [[t thread done] due
                done (assoc done :time t)
                ctx (assoc ctx :time t)
                g (if (schedule-only? done) g (gen/update g test ctx done))
                ctx (cond-> (update ctx :free-threads conj thread)
                      (and (integer? thread) (= :info (:type done))) (update-in [:workers thread] + concurrency))]
            (recur g ctx (vec later) (if (schedule-only? done) history (conj history done)) (inc steps)))

          (nil? r) history

          (= :pending (first r))
          (throw (ex-info "the generator waits but nothing is in flight" {:history history}))

          :else
          (let [[o g'] r
                t (max (:time ctx) (:time o))
                thread (gen/process->thread ctx (:process o))
                _ (when-not (contains? (:free-threads ctx) thread)
                    (throw (ex-info "an op for a busy thread" {:op o})))
                o (assoc o :time t)
                ctx (-> ctx (assoc :time t) (update :free-threads disj thread))
                g' (if (schedule-only? o) g' (gen/update g' test ctx o))
                done-at (+ t (if (= :sleep (:type o)) (long (* 1e9 (:value o))) latency-nanos))]
            (recur g' ctx (conj in-flight [done-at thread (if (schedule-only? o) o (complete o))])
                   (if (schedule-only? o) history (conj history o)) (inc steps))))))))

(defn invocations [history] (filter #(= :invoke (:type %)) history))
