(ns duet.jepsen.linear
  "Linearizability: the Wing-Gong search with Lowe's just-in-time linearization and configuration
  cache (WGL), run per key (P-compositionality: independent registers are linearizable together
  exactly when each key's sub-history is). Written for this project from the published algorithm
  (Wing & Gong 1993; Lowe 2017); no knossos code.

  Rules for turning a history into calls:
  - :ok ops must take effect between their invocation and completion;
  - :fail ops did not happen and are dropped;
  - :info ops (and invocations the history ends before completing) may take effect at any time
    after their invocation, or never; an :info read constrains nothing and is dropped."
  (:require [duet.jepsen.checker :as checker]
            [duet.jepsen.history :as h])
  (:import (java.util ArrayDeque BitSet HashSet)
           (java.util.concurrent Executors Future)))

(def inconsistent
  "What a model step returns when the op cannot happen in that state."
  ::inconsistent)

(defn cas-register
  "A register that starts absent. Ops: :read v, :write v, :cas [old new]. A missing key reads as
  :absent, and a read must name the state exactly: a read of nil is never accepted, so a client
  bug that loses a value cannot pass as a wildcard (knossos's cas-register would accept it)."
  []
  {:name :cas-register
   :init :absent
   :step (fn [state f value]
           (case f
             :read (if (and (some? value) (= value state)) state inconsistent)
             :write (if (some? value) value inconsistent)
             :cas (let [[old new] value]
                    (if (and (some? new) (= old state)) new inconsistent))
             inconsistent))})

(defn- call-of
  "A call for the search, or nil when the op is dropped. Positions are places in the history."
  [invoke invoke-at completion completion-at]
  (let [f (:f invoke)]
    (cond
      (and completion (h/fail? completion)) nil
      (and completion (h/ok? completion))
      {:f f, :value (if (= :read f) (:value completion) (:value invoke)), :op completion
       :invoke-at invoke-at, :return-at completion-at}
      (= :read f) nil
      :else {:f f, :value (:value invoke), :op (or completion invoke), :invoke-at invoke-at})))

(defn calls
  "The calls of a single-object history, ordered by invocation."
  [history]
  (loop [at 0, ops (seq history), open {}, out []]
    (if-let [op (first ops)]
      (cond
        (not (h/client-op? op)) (recur (inc at) (next ops) open out)
        (h/invoke? op) (recur (inc at) (next ops) (assoc open (:process op) [at op]) out)
        :else (let [[inv-at inv] (get open (:process op))]
                (when-not inv
                  (throw (ex-info "a completion without an invocation" {:op op})))
                (recur (inc at) (next ops) (dissoc open (:process op))
                       (conj out (call-of inv inv-at op at)))))
      (->> (concat out (map (fn [[inv-at inv]] (call-of inv inv-at nil nil)) (vals open)))
           (remove nil?)
           (sort-by :invoke-at)
           vec))))

(defn- entry-list
  "Entries in history order: each call's invocation and, for :ok calls, its return. Returns
  [call-id-of-entry return?-of-entry call-entry-of-id return-entry-of-id]."
  [calls]
  (let [entries (->> (concat (map-indexed (fn [id c] [(:invoke-at c) id false]) calls)
                             (keep-indexed (fn [id c] (when-let [r (:return-at c)] [r id true])) calls))
                     (sort-by first)
                     vec)
        n (count calls)
        ^ints call-entry (int-array n)
        ^ints return-entry (int-array n -1)]
    (doseq [[e [_ id ret?]] (map-indexed vector entries)]
      (aset ^ints (if ret? return-entry call-entry) (int id) (int e)))
    [(int-array (map second entries)) (boolean-array (map #(nth % 2) entries)) call-entry return-entry]))

;; :info calls with the same :f and :value are interchangeable once invoked: a linearization that
;; uses a later one while an earlier one is unused can use the earlier one in its place. So the
;; search only ever takes the earliest unused one of such a group, which keeps it from visiting
;; the same configuration under different names: without this, 25 :info writes of five values
;; make millions of configurations where a few thousand are distinct.
(defn- info-predecessors
  "For each :info call, the id of the last earlier-invoked :info call with the same :f and
  :value (-1 if none); -1 for :ok calls."
  ^ints [calls]
  (let [a (int-array (count calls) -1)]
    (reduce (fn [last-of [id c]]
              (if (:return-at c)
                last-of
                (let [k [(:f c) (:value c)]]
                  (when-let [prev (last-of k)] (aset a (int id) (int prev)))
                  (assoc last-of k id))))
            {}
            (map-indexed vector calls))
    a))

(defn check-calls
  "Searches for a linearization of `calls` under `model`. Returns {:valid? true|false|:unknown
  :configurations n}, and for false the op that could not be linearized at the deepest point the
  search reached with the model states possible there. :unknown when the configuration cache
  grows past `budget` (a search too big to finish is not a pass)."
  [model calls budget]
  (let [step (:step model)
        n (count calls)
        [entry-call return? call-entry return-entry] (entry-list calls)
        ^ints entry-call entry-call
        ^booleans return? return?
        ^ints call-entry call-entry
        ^ints return-entry return-entry
        m (alength entry-call)
        head m
        ^ints nxt (int-array (inc m))
        ^ints prv (int-array (inc m))
        unlink (fn [^long x] (let [p (aget prv x), q (aget nxt x)]
                         (aset nxt p q)
                         (when (>= q 0) (aset prv q p))))
        relink (fn [^long x] (let [p (aget prv x), q (aget nxt x)]
                         (aset nxt p x)
                         (when (>= q 0) (aset prv q x))))
        lift (fn [^long id] (unlink (aget call-entry id))
               (when (>= (aget return-entry id) 0) (unlink (aget return-entry id))))
        unlift (fn [^long id] (when (>= (aget return-entry id) 0) (relink (aget return-entry id)))
                 (relink (aget call-entry id)))
        ok? (fn [^long id] (some? (:return-at (nth calls id))))
        ^ints same-before (info-predecessors calls)
        lin (BitSet. n)
        cache (HashSet.)
        stack (ArrayDeque.)
        deepest (volatile! {:depth -1})]
    ;; The list: head -> entry 0 -> ... -> entry m-1 -> -1.
    (aset nxt head (int (if (pos? m) 0 -1)))
    (dotimes [e m]
      (aset prv e (int (if (zero? e) head (dec e))))
      (aset nxt e (int (if (= e (dec m)) -1 (inc e)))))
    (loop [entry (aget nxt head)
           state (:init model)
           remaining (count (filter :return-at calls))]
      (cond
        (zero? remaining)
        {:valid? true :configurations (.size cache)}

        (> (.size cache) budget)
        {:valid? :unknown :configurations (.size cache)
         :error (str "search budget of " budget " configurations exhausted")}

        (or (neg? entry) (aget return? entry))
        ;; A return whose call is not linearized yet: this path is dead, undo the last choice.
        (do (when (and (>= entry 0) (> (.size stack) (:depth @deepest)))
              (vreset! deepest {:depth (.size stack) :op (:op (nth calls (aget entry-call entry)))
                                :states #{state}}))
            (when (and (>= entry 0) (= (.size stack) (:depth @deepest)) (< (count (:states @deepest)) 8))
              (vswap! deepest update :states conj state))
            (if (.isEmpty stack)
              {:valid? false :configurations (.size cache)
               :op (:op @deepest) :linearized-count (:depth @deepest)
               :possible-states (vec (:states @deepest))}
              (let [[id previous] (.pop stack)
                    id (long id)]
                (.clear lin (int id))
                (unlift id)
                (recur (aget nxt (aget call-entry id)) previous (if (ok? id) (inc remaining) remaining)))))

        :else
        (let [id (aget entry-call entry)
              c (nth calls id)
              twin (aget same-before id)
              ;; symmetry: an :info call waits for its identical, earlier-invoked twin
              next-state (if (and (>= twin 0) (not (.get lin twin)))
                           inconsistent
                           (step state (:f c) (:value c)))
              fresh? (and (not= inconsistent next-state)
                          (let [l ^BitSet (.clone lin)]
                            (.set l (int id))
                            (.add cache [l next-state])))]
          (if fresh?
            (do (.push stack [id state])
                (.set lin (int id))
                (lift id)
                (recur (aget nxt head) next-state (if (ok? id) (dec remaining) remaining)))
            (recur (aget nxt entry) state remaining)))))))

(defn check-history
  "Checks a single-object history."
  ([model history] (check-history model history 1000000))
  ([model history budget] (check-calls model (calls history) budget)))

(defn by-key
  "Splits a history of [key value] ops into {key sub-history} with plain values (Jepsen's
  independent tuples). Nemesis ops and ops without a tuple value are left out."
  [history]
  (persistent!
   (reduce (fn [acc op]
             (let [v (:value op)]
               (if (and (h/client-op? op) (vector? v) (= 2 (count v)))
                 (assoc! acc (first v) (conj (get acc (first v) []) (assoc op :value (second v))))
                 acc)))
           (transient {})
           history)))

(def ^:private search-threads
  "Keys checked at once. Each search may hold up to `budget` configurations in memory, so this
  bounds the memory as much as it uses the two cores."
  2)

(defn- map-bounded
  "(map f coll) on at most n threads at a time."
  [n f coll]
  (let [pool (Executors/newFixedThreadPool (int n))]
    (try
      (->> (mapv (fn [x] (.submit pool ^Callable (fn [] (f x)))) coll)
           (mapv #(.get ^Future %)))
      (finally (.shutdownNow pool)))))

(defn linearizable
  "A checker: every key's sub-history must be linearizable under `model`. :unknown for a key
  (budget exhausted) makes the whole verdict :unknown, which the harness counts as a failure."
  [{:keys [model budget] :or {budget 1000000}}]
  (reify checker/Checker
    (check [_ _ history _]
      (let [per-key (by-key history)
            results (into (sorted-map) (map-bounded search-threads
                                                    (fn [[k sub]] [k (check-history model sub budget)])
                                                    per-key))
            failures (vec (keep (fn [[k r]] (when (false? (:valid? r)) k)) results))
            unknown (vec (keep (fn [[k r]] (when (= :unknown (:valid? r)) k)) results))]
        {:valid? (checker/merge-valid (map :valid? (vals results)))
         :model (:name model)
         :key-count (count results)
         :max-configurations (reduce max 0 (map :configurations (vals results)))
         :failures failures
         :unknown-keys unknown
         :failure-details (into (sorted-map) (map (fn [k] [k (get results k)]) (take 10 failures)))}))))
