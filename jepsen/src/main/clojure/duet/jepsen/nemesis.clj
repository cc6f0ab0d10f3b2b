(ns duet.jepsen.nemesis
  "The nemesis protocol (Jepsen's jepsen.nemesis contract) and the generic nemeses: partitions
  (grudges applied with iptables), kill -9 and restart, SIGSTOP/SIGCONT, and compose. The
  Duet-specific faults (membership, intent-WAL damage) are in duet.jepsen.duet-nemesis.

  Nemesis ops are :info ops of process :nemesis. Each fault op names its target in :value:
  :one (a random node), :primaries (the node(s) claiming leadership, or a random node when none
  does), :one-follower, :minority, :majority or :all; partitions take a shape instead."
  (:require [clojure.tools.logging :as log]
            [duet.jepsen.db :as db]
            [duet.jepsen.grudge :as grudge]
            [duet.jepsen.net :as net])
  (:import (java.util Random)))

(defprotocol Nemesis
  (setup! [nemesis test] "Prepares the nemesis; returns it.")
  (invoke! [nemesis test op] "Injects or heals a fault; returns the completed op (:type :info).")
  (teardown! [nemesis test] "Heals everything this nemesis may have broken."))

(defn rng
  "The nemesis's seeded random source (one nemesis thread uses it)."
  ^Random [test]
  (:nemesis-rng test))

(defn targets
  "The nodes a target spec names."
  [test spec]
  (let [nodes (grudge/shuffle* (rng test) (:nodes test))
        n (count nodes)]
    (case spec
      :one [(first nodes)]
      :primaries (let [ps (db/primaries (:db test) test)] (if (seq ps) (vec ps) [(first nodes)]))
      :one-follower (let [ps (set (db/primaries (:db test) test))] [(or (first (remove ps nodes)) (first nodes))])
      :minority (vec (take (quot (dec n) 2) nodes))
      :majority (vec (take (inc (quot n 2)) nodes))
      :all (vec nodes))))

(def noop
  (reify Nemesis
    (setup! [this _] this)
    (invoke! [_ _ op] (assoc op :type :info))
    (teardown! [_ _])))

(defn grudge-for
  "A partition shape as a grudge."
  [test shape]
  (let [nodes (:nodes test)]
    (case shape
      :random-halves (grudge/random-halves (rng test) nodes)
      :isolate-one (grudge/isolate nodes (first (grudge/shuffle* (rng test) nodes)))
      :isolate-leader (let [ps (db/primaries (:db test) test)]
                        (grudge/isolate nodes (if (seq ps) (first ps) (first (grudge/shuffle* (rng test) nodes)))))
      :bridge (grudge/bridge (rng test) nodes)
      :majorities-ring (grudge/majorities-ring (rng test) nodes))))

(defn partitioner
  "{:f :start-partition :value shape} cuts the network into that shape; {:f :stop-partition}
  heals it."
  []
  (reify Nemesis
    (setup! [this test] (net/heal! (:nodes test)) this)
    (invoke! [_ test op]
      (case (:f op)
        :start-partition (let [g (grudge-for test (:value op))]
                           (net/heal! (:nodes test))
                           (net/drop-grudge! g)
                           (assoc op :type :info :value {:shape (:value op) :grudge g}))
        :stop-partition (do (net/heal! (:nodes test)) (assoc op :type :info :value :network-healed))))
    (teardown! [_ test] (net/heal! (:nodes test)))))

(defn- undoable-fault
  "A nemesis for a fault applied to target nodes and later undone on every node it hit:
  `{:f start-f :value target}` runs `(act! db test node)` on the targets, `{:f stop-f}` runs
  `(undo! db test node)` on each of them; teardown undoes what is left. The op's value names the
  nodes under `acted-key` / `undone-key`."
  [start-f stop-f act! undo! acted-key undone-key]
  (let [hit (atom #{})]
    (reify Nemesis
      (setup! [this _] this)
      (invoke! [_ test op]
        (condp = (:f op)
          start-f (let [ns (targets test (:value op))]
                    (doseq [n ns] (act! (:db test) test n))
                    (swap! hit into ns)
                    (assoc op :type :info :value {:target (:value op) acted-key ns}))
          stop-f (let [ns (sort @hit)]
                   (doseq [n ns] (undo! (:db test) test n))
                   (reset! hit #{})
                   (assoc op :type :info :value {undone-key ns}))))
      (teardown! [_ test]
        (doseq [n @hit] (undo! (:db test) test n))))))

(defn node-killer
  "{:f :kill :value target} SIGKILLs the targets; {:f :start} restarts every killed node."
  []
  (undoable-fault :kill :start db/kill! db/start! :killed :started))

(defn hammer-time
  "{:f :pause :value target} SIGSTOPs the targets; {:f :resume} continues every paused node."
  []
  (undoable-fault :pause :resume db/pause! db/resume! :paused :resumed))

(defn compose
  "Routes each op by its :f to the nemesis that handles it: {#{:fs} nemesis}."
  [nemeses-by-fs]
  (let [route (fn [f] (or (some (fn [[fs n]] (when (contains? fs f) n)) nemeses-by-fs)
                          (throw (ex-info (str "no nemesis handles " f) {:f f}))))]
    (reify Nemesis
      (setup! [this test]
        (doseq [n (vals nemeses-by-fs)] (setup! n test))
        this)
      (invoke! [_ test op] (invoke! (route (:f op)) test op))
      (teardown! [_ test]
        ;; heal all, even when one fails
        (doseq [n (vals nemeses-by-fs)]
          (try (teardown! n test)
               (catch Throwable e (log/warn e "nemesis teardown failed"))))))))
