(ns duet.jepsen.checker
  "The checker protocol (Jepsen's jepsen.checker contract) and the general checkers: compose,
  op statistics, the set checker (lost and phantom elements) and a scan of the node logs.
  Linearizability is in duet.jepsen.linear."
  (:require [clojure.java.io :as io]
            [duet.jepsen.history :as h]))

(defprotocol Checker
  (check [checker test history opts]
    "Analyses a history; returns a map with :valid? true, false or :unknown."))

(def ^:private valid-rank
  "Jepsen's order for merging verdicts: any false wins, then :unknown, then true."
  {true 0, :unknown 1, false 2})

(defn merge-valid
  "One verdict for several. A missing verdict (nil) counts as :unknown: it never passes."
  [verdicts]
  (reduce (fn [a b] (let [b (if (contains? valid-rank b) b :unknown)]
                      (if (> (valid-rank b) (valid-rank a)) b a)))
          true verdicts))

(defn compose
  "Runs each named checker; :valid? is the merge of theirs."
  [checkers-by-name]
  (reify Checker
    (check [_ test history opts]
      (let [results (into (sorted-map)
                          (map (fn [[k c]] [k (check c test history opts)]))
                          checkers-by-name)]
        (assoc results :valid? (merge-valid (map :valid? (vals results))))))))

(defn stats
  "Counts client ops by :f and outcome. Like Jepsen's stats checker, a function that never
  succeeded makes the test invalid: a run where nothing worked tests nothing."
  []
  (reify Checker
    (check [_ _ history _]
      (let [completions (filter #(and (h/client-op? %) (not (h/invoke? %))) history)
            count-of (fn [ops] (merge {:ok-count 0 :fail-count 0 :info-count 0}
                                      (update-keys (frequencies (map :type ops))
                                                   #(keyword (str (name %) "-count")))))
            by-f (into (sorted-map)
                       (map (fn [[f ops]] (let [c (count-of ops)]
                                            [f (assoc c :count (count ops) :valid? (pos? (:ok-count c)))])))
                       (group-by :f completions))]
        (merge (count-of completions)
               {:count (count completions)
                :by-f by-f
                :valid? (if (empty? by-f) :unknown (every? :valid? (vals by-f)))})))))

(defn set-checker
  "Unique :add ops, then a final :read of the whole set. Lost: acknowledged adds the read lacks.
  Unexpected: read elements nobody tried to add. Failed-but-present: an add reported :fail (the
  client's claim that it certainly did not happen) whose element is there. Recovered: adds with
  an unknown outcome that did happen. Without a successful final read the verdict is :unknown."
  []
  (reify Checker
    (check [_ _ history _]
      (let [client (filter h/client-op? history)
            values-of (fn [type f] (into #{} (comp (filter #(and (= type (:type %)) (= f (:f %))))
                                                   (map :value))
                                         client))
            attempts (values-of :invoke :add)
            acknowledged (values-of :ok :add)
            failed (values-of :fail :add)
            final-read (last (filter #(and (h/ok? %) (= :read (:f %))) client))]
        (if-not final-read
          {:valid? :unknown :error "no final read completed" :attempt-count (count attempts)}
          (let [read (set (:value final-read))
                lost (sort (remove read acknowledged))
                unexpected (sort (remove attempts read))
                failed-but-present (sort (filter read failed))
                recovered (remove acknowledged (filter read attempts))]
            {:valid? (and (empty? lost) (empty? unexpected) (empty? failed-but-present))
             :attempt-count (count attempts)
             :acknowledged-count (count acknowledged)
             :read-count (count read)
             :recovered-count (count recovered)
             :lost-count (count lost), :lost (vec (take 50 lost))
             :unexpected-count (count unexpected), :unexpected (vec (take 50 unexpected))
             :failed-but-present (vec (take 50 failed-but-present))}))))))

(defn quota-reached
  "Valid when at least `min-refusals` adds were refused with RESOURCE_EXHAUSTED: the run filled
  its store to the space quota, so the rest of the test shows what happens there."
  [min-refusals]
  (reify Checker
    (check [_ _ history _]
      (let [refused (count (filter #(and (= :fail (:type %)) (= :add (:f %))
                                         (= :RESOURCE_EXHAUSTED (first (:error %))))
                                   history))]
        {:valid? (>= refused min-refusals)
         :refused-for-space refused
         :min-refusals min-refusals}))))

(def fatal-log-patterns
  "Log lines that mean a node is broken, whatever the history says."
  [#"stops serving" #"could not start" #"OutOfMemoryError" #"StackOverflowError"
   #"Exception in thread" #"IrreparableIntentException" #"ReplayDivergedException"])

(def ^:private exception-name #"\b(?:[a-z_$][\w$]*\.)+([A-Z][\w$]*(?:Exception|Error))\b")

(defn scan-log-lines
  "Exception names by count, and the lines that match a fatal pattern (at most 20)."
  [lines]
  (reduce (fn [acc line]
            (let [acc (reduce (fn [a [_ cls]] (update-in a [:exceptions cls] (fnil inc 0)))
                              acc (re-seq exception-name line))]
              (if (and (< (count (:fatal acc)) 20) (some #(re-find % line) fatal-log-patterns))
                (update acc :fatal conj (subs line 0 (min 300 (count line))))
                acc)))
          {:exceptions {} :fatal []}
          lines))

(defn log-scan
  "Scans the files `(log-files-fn test)` returns (a map of node to paths) for exceptions; a
  fatal pattern makes the test invalid, other exceptions are counted for the report."
  [log-files-fn]
  (reify Checker
    (check [_ test _ _]
      (let [per-node (into (sorted-map)
                           (for [[node files] (log-files-fn test)]
                             [node (reduce (fn [acc f]
                                             (if (.exists (io/file f))
                                               (with-open [r (io/reader f)]
                                                 (let [s (scan-log-lines (line-seq r))]
                                                   (-> acc (update :exceptions #(merge-with + % (:exceptions s)))
                                                       (update :fatal into (:fatal s)))))
                                               acc))
                                           {:exceptions {} :fatal []} files)]))]
        {:valid? (every? (comp empty? :fatal) (vals per-node))
         :nodes per-node}))))

(defn report-lines
  "A few lines a person reads first: the verdict of each checker and what failed."
  [results]
  (for [[k r] (sort-by key (dissoc results :valid?))
        :when (map? r)]
    (str (name k) ": " (pr-str (:valid? r))
         (when-let [why (or (:error r) (when (seq (:failures r)) (str "failing keys " (vec (take 10 (:failures r))))))]
           (str " (" why ")")))))
