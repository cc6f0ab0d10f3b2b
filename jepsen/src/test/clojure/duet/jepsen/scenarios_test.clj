(ns duet.jepsen.scenarios-test
  (:require [clojure.test :refer [deftest is testing]]
            [duet.jepsen.generator :as gen]
            [duet.jepsen.scenarios :as scenarios]
            [duet.jepsen.simulation :refer [simulate invocations]]
            [duet.jepsen.workload :as workload]))

(def stops {:stop-partition :partition :start :kill :resume :pause :add-member :membership})
(def starts {:start-partition :partition :kill :kill :pause :pause :remove-member :membership
             :corrupt-intent-wal :storage})

(deftest fault-schedules-start-and-stop-in-order
  (doseq [families [[:partition] [:kill] [:partition :kill :pause :storage] [:membership :pause]]]
    (let [h (simulate (gen/nemesis (gen/time-limit 600 (scenarios/fault-schedule (select-keys scenarios/families families) 5)))
                      {:complete #(assoc % :type :info) :test {:nodes ["n1" "n2" "n3"]}})
          actions (map :f (take-nth 2 h))]
      (is (< 50 (count actions)))
      (is (every? #(some #{%} (mapcat (fn [f] [f]) (concat (keys stops) (keys starts)))) actions))
      (reduce (fn [active f]
                (cond
                  (starts f) (do (is (not (active (starts f))) (str "started twice: " f))
                                 (when (= f :corrupt-intent-wal)
                                   (is (empty? active) "storage faults only with no other fault active"))
                                 (if (= f :corrupt-intent-wal) active (conj active (starts f))))
                  (stops f) (do (is (active (stops f)) (str "stopped without a start: " f))
                                (disj active (stops f)))))
              #{} actions))))

(deftest key-rotation-gives-each-key-its-ops
  (let [h (simulate (gen/clients (gen/limit 100 (workload/key-rotation {:active-keys 2 :ops-per-key 10 :read-fraction 0.3})))
                    {})
        per-key (frequencies (map (comp first :value) (invocations h)))]
    (testing "every key gets its 10 ops, but the (at most 2) keys still active at the end"
      (is (= 100 (reduce + (vals per-key))))
      (is (every? #(<= % 10) (vals per-key)))
      (is (<= (count (remove #(= 10 %) (vals per-key))) 2)))
    (is (= #{:read :write :cas} (set (map :f (invocations h)))))))

(deftest every-scenario-builds
  (doseq [s (keys scenarios/scenarios)]
    (let [t (scenarios/test-map s {:server-classpath "x"})]
      (is (seq (:nodes t)))
      (is (some? (:generator t))))))
