(ns duet.jepsen.checker-test
  (:require [clojure.test :refer [deftest is testing]]
            [duet.jepsen.checker :as checker]
            [duet.jepsen.histories :refer [history]]))

(defn- check [c h] (checker/check c {} h {}))

(deftest merging-verdicts
  (is (true? (checker/merge-valid [true true])))
  (is (= :unknown (checker/merge-valid [true :unknown])))
  (is (false? (checker/merge-valid [:unknown false true])))
  (is (= :unknown (checker/merge-valid [true nil])) "a missing verdict never passes"))

(deftest compose-reports-each-and-merges
  (let [c (checker/compose {:a (reify checker/Checker (check [_ _ _ _] {:valid? true}))
                            :b (reify checker/Checker (check [_ _ _ _] {:valid? :unknown}))})
        r (check c [])]
    (is (= :unknown (:valid? r)))
    (is (true? (get-in r [:a :valid?])))))

(def set-ops
  (history [0 :invoke :add 1] [0 :ok :add 1]
           [1 :invoke :add 2] [1 :info :add 2]
           [2 :invoke :add 3] [2 :fail :add 3]
           [0 :invoke :add 4] [0 :ok :add 4]))

(deftest set-checker
  (testing "all acknowledged adds read back, an :info add recovered"
    (let [r (check (checker/set-checker) (conj set-ops {:process 5 :type :invoke :f :read} {:process 5 :type :ok :f :read :value #{1 2 4}}))]
      (is (true? (:valid? r)))
      (is (= 1 (:recovered-count r)))))
  (testing "a lost acknowledged add"
    (let [r (check (checker/set-checker) (conj set-ops {:process 5 :type :invoke :f :read} {:process 5 :type :ok :f :read :value #{1}}))]
      (is (false? (:valid? r)))
      (is (= [4] (:lost r)))))
  (testing "an element nobody added"
    (let [r (check (checker/set-checker) (conj set-ops {:process 5 :type :invoke :f :read} {:process 5 :type :ok :f :read :value #{1 4 9}}))]
      (is (false? (:valid? r)))
      (is (= [9] (:unexpected r)))))
  (testing "an add reported :fail that happened after all"
    (let [r (check (checker/set-checker) (conj set-ops {:process 5 :type :invoke :f :read} {:process 5 :type :ok :f :read :value #{1 3 4}}))]
      (is (false? (:valid? r)))
      (is (= [3] (:failed-but-present r)))))
  (testing "no final read: unknown, never a pass"
    (is (= :unknown (:valid? (check (checker/set-checker) set-ops))))))

(deftest stats-need-every-function-to-succeed-sometimes
  (is (true? (:valid? (check (checker/stats) (history [0 :invoke :read nil] [0 :ok :read 1])))))
  (let [r (check (checker/stats) (history [0 :invoke :read nil] [0 :ok :read 1] [1 :invoke :write 1] [1 :info :write 1]))]
    (is (false? (:valid? r)))
    (is (= 1 (get-in r [:by-f :write :info-count])))))

(deftest log-scan
  (let [s (checker/scan-log-lines ["12 [main] WARN x - java.io.IOException: boom"
                                   "13 [grpc] INFO y - io.grpc.StatusRuntimeException: UNAVAILABLE"
                                   "14 [sm] ERROR z - replica n1 stops serving: applying entry 7 failed"])]
    (is (= {"IOException" 1 "StatusRuntimeException" 1} (:exceptions s)))
    (is (= 1 (count (:fatal s))))))

(deftest quota-reached-counts-adds-refused-for-space
  (let [refused (fn [p v] [{:process p :type :invoke :f :add :value v}
                           {:process p :type :fail :f :add :value v :error [:RESOURCE_EXHAUSTED "space exceeded"]}])
        h (vec (concat (refused 0 1) (refused 1 2)
                       [{:process 2 :type :invoke :f :add :value 3}
                        {:process 2 :type :fail :f :add :value 3 :error [:UNAVAILABLE "no leader"]}]))]
    (is (true? (:valid? (check (checker/quota-reached 2) h))))
    (is (= 2 (:refused-for-space (check (checker/quota-reached 2) h))))
    (is (false? (:valid? (check (checker/quota-reached 3) h))) "other failures do not count")))
