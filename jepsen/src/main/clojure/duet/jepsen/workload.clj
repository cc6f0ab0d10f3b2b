(ns duet.jepsen.workload
  "Workloads: a client, a generator for the main phase, one for the final phase, a checker.

  register: compare-and-set registers on many keys. A few keys are active at a time; each takes
  ops-per-key reads, writes and cas ops from whichever threads are free, then a fresh key takes
  its place. Values are [key value] tuples, as with Jepsen's independent keys, so the checker
  verifies each key's history on its own (WGL per key).

  set: unique integer adds (one key each), then a final read of every element, checked for lost
  acknowledged adds and for elements nobody added."
  (:require [duet.jepsen.duet-client :as duet-client]
            [duet.jepsen.generator :as gen]
            [duet.jepsen.checker :as checker]
            [duet.jepsen.linear :as linear]))

(def value-count "Register values are 0..4: few values make cas succeed often." 5)

(defn register-op
  "A random register op on key k; reads are `read-fraction` of all ops, the rest half writes,
  half cas."
  [ctx k read-fraction]
  (let [r (gen/rand-double* ctx)
        v #(gen/rand-int* ctx value-count)]
    (cond
      (< r read-fraction) {:f :read :value [k nil]}
      (< r (+ read-fraction (/ (- 1 read-fraction) 2))) {:f :write :value [k (v)]}
      :else {:f :cas :value [k [(v) (v)]]})))

(defrecord KeyRotation [read-fraction ops-per-key active next-key]
  gen/Generator
  (op [this test ctx]
    (let [i (gen/rand-int* ctx (count active))
          [k left] (nth active i)
          [o] (gen/op (register-op ctx k read-fraction) test ctx)]
      (if (= :pending o)
        [:pending this]
        [o (if (= 1 left)
             (->KeyRotation read-fraction ops-per-key (assoc active i [next-key ops-per-key]) (inc next-key))
             (->KeyRotation read-fraction ops-per-key (assoc active i [k (dec left)]) next-key))])))
  (update [this _ _ _] this))

(defn key-rotation
  "Register ops over `active-keys` keys at a time, `ops-per-key` ops per key."
  [{:keys [active-keys ops-per-key read-fraction]}]
  (->KeyRotation read-fraction ops-per-key (vec (for [k (range active-keys)] [k ops-per-key])) active-keys))

(defn register
  [{:keys [search-budget] :as opts}]
  {:client (duet-client/register-client)
   :generator (key-rotation opts)
   :final-generator nil
   :checker (linear/linearizable {:model (linear/cas-register) :budget search-budget})})

(defrecord UniqueAdds [next-value]
  gen/Generator
  (op [this test ctx]
    (let [[o] (gen/op {:f :add :value next-value} test ctx)]
      (if (= :pending o) [:pending this] [o (->UniqueAdds (inc next-value))])))
  (update [this _ _ _] this))

(def final-read-attempts 20)

(defn set-workload
  [_]
  {:client (duet-client/set-client)
   :generator (->UniqueAdds 0)
   ;; the cluster is healthy when this phase starts (the final heal waits for it); retries only
   ;; cover a read that meets a leader change, one second apart, a bounded number of times
   :final-generator (gen/until-ok (gen/limit final-read-attempts (gen/stagger 1 (repeat {:f :read}))))
   :checker (checker/set-checker)})

(def workloads {:register register, :set set-workload})
