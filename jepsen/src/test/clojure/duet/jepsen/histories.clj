(ns duet.jepsen.histories
  "Builders of register histories for the checker tests: by hand (a compact notation) and at
  random from simulated executions (test.check generators)."
  (:require [clojure.test.check.generators :as gen]))

(defn history
  "Ops from [process type f value] tuples, with :index and :time filled in."
  [& tuples]
  (vec (map-indexed (fn [i [p type f v]] {:index i :time (* 1000 i) :process p :type type :f f :value v})
                    tuples)))

(defn- gen-op-spec
  "One op's shape: its process, kind, operands, timing and fate."
  [max-process crash-weight]
  (gen/hash-map
   :process (gen/choose 0 max-process)
   :f (gen/elements [:read :write :cas])
   :a (gen/choose 0 2)
   :b (gen/choose 0 2)
   :gap (gen/choose 0 10)
   :duration (gen/choose 1 20)
   :lin-percent (gen/choose 1 99)
   ;; crash-applied: took effect, the client never heard; crash-lost: never took effect.
   :outcome (gen/frequency (remove (comp zero? first)
                                   [[14 (gen/return :done)] [crash-weight (gen/return :crash-applied)]
                                    [crash-weight (gen/return :crash-lost)] [1 (gen/return :refused)]]))
   :corrupt? (gen/frequency [[3 (gen/return false)] [1 (gen/return true)]])))

(defn- timed
  "Gives each process's ops back-to-back intervals; a process stops after a crash (Jepsen
  retires a process whose op is :info)."
  [specs]
  (->> (group-by :process specs)
       (mapcat (fn [[_ ops]]
                 (loop [t 0, ops ops, out []] ; t: the process's clock
                   (if-let [o (first ops)]
                     (let [start (+ t (:gap o)), end (+ start (:duration o))
                           o (assoc o :start start :end end
                                    :lin (+ start (* (:duration o) (/ (:lin-percent o) 100.0))))]
                       (if (#{:crash-applied :crash-lost} (:outcome o))
                         (conj out o)
                         (recur (long end) (next ops) (conj out o))))
                     out))))))

(defn- other-value [v] (first (remove #{v} [:absent 0 1 2])))

(defn- execute
  "Runs the ops on a register in linearization-point order; returns them with :type and :result."
  [ops]
  (first
   (reduce (fn [[done state] o]
             (let [{:keys [f a b outcome]} o
                   applies? (#{:done :crash-applied} outcome)
                   [type result state'] (case f
                                          :read [:ok state state]
                                          :write [:ok a (if applies? a state)]
                                          :cas (if (= state a)
                                                 [:ok [a b] (if applies? b state)]
                                                 [:fail [a b] state]))
                   type (cond (= :refused outcome) :fail
                              (#{:crash-applied :crash-lost} outcome) :info
                              :else type)
                   state' (if (= :refused outcome) state state')
                   result (if (and (= :read f) (= :ok type) (:corrupt? o)) (other-value result) result)]
               [(conj done (assoc o :type type :result result :corrupted? (and (= :read f) (:corrupt? o))))
                state']))
           [[] :absent]
           (sort-by :lin ops))))

(defn- ->history [ops]
  (let [events (concat (for [o ops] [[(:start o) 1 (:process o)]
                                     {:process (:process o) :type :invoke :f (:f o)
                                      :value (case (:f o) :read nil :write (:a o) :cas [(:a o) (:b o)])}])
                       (for [o ops] [[(:end o) 0 (:process o)]
                                     {:process (:process o) :type (:type o) :f (:f o)
                                      :value (if (= :info (:type o))
                                               (case (:f o) :read nil :write (:a o) :cas [(:a o) (:b o)])
                                               (:result o))}]))]
    (vec (map-indexed (fn [i [_ op]] (assoc op :index i :time i)) (sort-by first events)))))

(def gen-register-history
  "A random small history from a simulated execution: {:history h :corrupted? bool}. Without
  corruption it is linearizable by construction."
  (gen/fmap (fn [specs]
              (let [ops (execute (timed specs))]
                {:history (->history ops) :corrupted? (boolean (some :corrupted? ops))}))
            (gen/vector (gen-op-spec 3 2) 0 7)))

(defn random-valid-history
  "A larger linearizable history (no corruption) from a seeded generator, for size tests."
  [op-count process-count seed]
  (let [spec (gen/fmap #(assoc % :corrupt? false) (gen-op-spec (dec process-count) 0))
        specs (gen/generate (gen/vector spec op-count) 30 seed)]
    (->history (execute (timed specs)))))
