(ns duet.jepsen.brute-force
  "A deliberately naive linearizability oracle for small histories, to test the WGL checker
  against. It shares no code with the checker, only the model: it tries every order of every
  subset of calls that holds all :ok calls, keeping orders that respect real time (a call that
  returned before another was invoked comes first) and the model."
  (:require [duet.jepsen.linear :as linear]))

(defn- history->calls
  "Invocation and return positions per op; :fail ops and :info reads left out, :info writes and
  cas (and unanswered invocations) have no return."
  [history]
  (let [indexed (map-indexed vector history)
        completion-of (fn [at op]
                        (first (filter (fn [[_ o]] (and (= (:process o) (:process op)) (not= :invoke (:type o))))
                                       (drop (inc at) indexed))))]
    (for [[at op] indexed
          :when (and (integer? (:process op)) (= :invoke (:type op)))
          :let [[done-at done] (completion-of at op)
                type (:type done :info)]
          :when (not= :fail type)
          :when (not (and (= :info type) (= :read (:f op))))]
      {:f (:f op)
       :value (if (= :read (:f op)) (:value done) (:value op))
       :invoke-at at
       :return-at (when (= :ok type) done-at)})))

(defn- respects-real-time?
  "Appending `c` after the calls in `placed` is allowed unless `c` returned before one of them
  was invoked."
  [placed c]
  (not-any? (fn [p] (and (:return-at c) (< (:return-at c) (:invoke-at p)))) placed))

(defn- search [step state placed remaining]
  (or (every? (comp nil? :return-at) remaining)   ; only :info calls left: they may never happen
      (some (fn [c]
              (when (respects-real-time? placed c)
                (let [s (step state (:f c) (:value c))]
                  (when-not (= linear/inconsistent s)
                    (search step s (conj placed c) (remove #(identical? % c) remaining))))))
            remaining)))

(defn linearizable?
  "True when some order of the calls (all :ok ones, any subset of the :info ones) is legal."
  [model history]
  (boolean (search (:step model) (:init model) [] (vec (history->calls history)))))
