(ns duet.jepsen.generator-test
  (:require [clojure.test :refer [deftest is testing]]
            [duet.jepsen.generator :as gen]
            [duet.jepsen.simulation :refer [simulate invocations]]))

(defn- one-op-per-process?
  "No process ever has two ops outstanding, and every invocation is completed."
  [history]
  (let [result (reduce (fn [open op]
                         (cond (nil? open) nil
                               (#{:invoke} (:type op)) (when-not (open (:process op)) (conj open (:process op)))
                               (= :nemesis (:process op)) open
                               :else (when (open (:process op)) (disj open (:process op)))))
                       #{} history)]
    (= #{} result)))

(deftest a-map-is-one-op-and-limit-bounds-a-sequence
  (is (= 1 (count (invocations (simulate {:f :read} {})))))
  (let [h (simulate (gen/clients (gen/limit 5 (repeat {:f :read}))) {})]
    (is (= 5 (count (invocations h))))
    (is (= 10 (count h)))
    (is (one-op-per-process? h))))

(deftest functions-are-called-for-each-op
  (let [n (atom 0)
        h (simulate (gen/limit 4 (fn [_ _] {:f :write :value (swap! n inc)})) {})]
    (is (= [1 2 3 4] (map :value (invocations h))))))

(deftest time-limit-and-stagger
  (let [h (simulate (gen/time-limit 2 (gen/stagger 0.1 (repeat {:f :read}))) {:latency-nanos 1000})
        times (map :time (invocations h))]
    (testing "ops stop at the limit"
      (is (every? #(< % 2000000000) times)))
    (testing "stagger spaces them by 0.1 s on average"
      (is (< 8 (count times) 40)))))

(deftest mix-uses-every-generator
  (let [h (simulate (gen/limit 200 (gen/mix [(repeat {:f :a}) (repeat {:f :b})])) {})]
    (is (= #{:a :b} (set (map :f (invocations h)))))))

(deftest nemesis-and-client-threads-stay-apart
  (let [h (simulate (gen/nemesis (gen/limit 3 (repeat {:type :info :f :break}))
                                 (gen/limit 30 (repeat {:f :read})))
                    {:complete #(assoc % :type (if (= :break (:f %)) :info :ok))})]
    (is (every? #(= :nemesis (:process %)) (filter #(= :break (:f %)) h)))
    (is (every? integer? (map :process (filter #(= :read (:f %)) h))))
    (is (= 6 (count (filter #(= :break (:f %)) h))))))

(deftest phases-wait-for-every-thread
  (let [h (simulate (gen/phases (gen/clients (gen/limit 7 (repeat {:f :a})))
                                (gen/clients (gen/limit 3 (repeat {:f :b}))))
                    {})
        last-a (apply max (keep-indexed (fn [i op] (when (= :a (:f op)) i)) h))
        first-b (apply min (keep-indexed (fn [i op] (when (= :b (:f op)) i)) h))]
    (is (< last-a first-b))))

(deftest each-thread-gives-every-thread-its-own-copy
  (let [h (simulate (gen/clients (gen/each-thread (gen/once {:f :final}))) {:concurrency 4})]
    (is (= #{0 1 2 3} (set (map :process (invocations h)))))
    (is (= 4 (count (invocations h))))))

(deftest an-info-completion-retires-the-process
  (let [h (simulate (gen/clients (gen/limit 12 (repeat {:f :write})))
                    {:concurrency 2 :complete #(assoc % :type (if (even? (:process %)) :info :ok))})]
    (is (one-op-per-process? h))
    (testing "a process that got :info never invokes again; its thread goes on as process + 2"
      (let [info-procs (set (map :process (filter #(= :info (:type %)) h)))]
        (doseq [p info-procs]
          (is (= 1 (count (filter #(and (= p (:process %)) (= :invoke (:type %))) h)))))
        (is (contains? (set (map :process (invocations h))) 2))))))

(deftest until-ok-stops-at-the-first-success
  (let [attempts (atom 0)
        h (simulate (gen/clients (gen/until-ok (gen/limit 10 (repeat {:f :read}))))
                    {:concurrency 1 :complete #(assoc % :type (if (< (swap! attempts inc) 3) :fail :ok))})]
    (is (= 3 (count (invocations h))))
    (is (= :ok (:type (last h))))))

(deftest cycle-repeats-a-finite-generator
  (is (= [:a :b :a :b :a] (map :f (invocations (simulate (gen/limit 5 (gen/cycle [{:f :a} {:f :b}])) {}))))))

(deftest any-takes-the-op-due-first
  (let [h (simulate (gen/clients (gen/any (gen/once {:f :late :time 5000000000})
                                          (gen/once {:f :early :time 1000000000})))
                    {})]
    (is (= [:early :late] (map :f (invocations h))))))

(deftest sleep-ops-take-time-but-are-not-recorded
  (let [h (simulate (gen/nemesis [(gen/sleep 3) {:type :info :f :break}]) {})]
    (is (= [:break :break] (map :f h)))
    (is (<= 3000000000 (:time (first h))))))
