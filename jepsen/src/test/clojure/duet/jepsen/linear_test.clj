(ns duet.jepsen.linear-test
  (:require [clojure.test :refer [deftest is testing]]
            [clojure.test.check :as tc]
            [clojure.test.check.properties :as prop]
            [duet.jepsen.brute-force :as brute]
            [duet.jepsen.checker :as checker]
            [duet.jepsen.histories :as hs :refer [history]]
            [duet.jepsen.linear :as linear]))

(def model (linear/cas-register))

(defn- valid? [h] (:valid? (linear/check-history model h)))

(deftest agrees-with-brute-force-on-random-histories
  ;; Thousands of small histories from simulated executions (reads corrupted at random, ops
  ;; crashed to :info before or after taking effect, refused ops as :fail).
  (let [seen (atom {:valid 0 :invalid 0 :with-info 0})
        result (tc/quick-check
                4000
                (prop/for-all [{h :history corrupted? :corrupted?} hs/gen-register-history]
                  (let [wgl (valid? h)
                        oracle (brute/linearizable? model h)]
                    (swap! seen update (if oracle :valid :invalid) inc)
                    (when (some #(= :info (:type %)) h) (swap! seen update :with-info inc))
                    (and (= wgl oracle)
                         ;; an uncorrupted execution is linearizable by construction
                         (or corrupted? (true? wgl)))))
                :seed 20261124)]
    (is (:pass? result) (pr-str (select-keys result [:fail :shrunk :seed])))
    ;; The generator must produce both verdicts in quantity, or the agreement means little.
    (is (< 300 (:invalid @seen)) (pr-str @seen))
    (is (< 2000 (:valid @seen)) (pr-str @seen))
    (is (< 500 (:with-info @seen)) (pr-str @seen))))

(deftest known-invalid-histories
  (testing "a read of a value nobody wrote"
    (is (false? (valid? (history [0 :invoke :write 1] [0 :ok :write 1] [1 :invoke :read nil] [1 :ok :read 2])))))
  (testing "a stale read after a newer write completed"
    (is (false? (valid? (history [0 :invoke :write 1] [0 :ok :write 1]
                                 [0 :invoke :write 2] [0 :ok :write 2]
                                 [1 :invoke :read nil] [1 :ok :read 1])))))
  (testing "a written key read as absent"
    (is (false? (valid? (history [0 :invoke :write 1] [0 :ok :write 1] [1 :invoke :read nil] [1 :ok :read :absent])))))
  (testing "a read of nil is never a wildcard"
    (is (false? (valid? (history [1 :invoke :read nil] [1 :ok :read nil]))))
    (is (false? (valid? (history [0 :invoke :write 1] [0 :ok :write 1] [1 :invoke :read nil] [1 :ok :read nil])))))
  (testing "a cas that succeeded against a value the register did not hold"
    (is (false? (valid? (history [0 :invoke :write 1] [0 :ok :write 1] [0 :invoke :cas [2 3]] [0 :ok :cas [2 3]])))))
  (testing "reads that go back in time across concurrent writes"
    (is (false? (valid? (history [0 :invoke :write 1] [1 :invoke :write 2] [0 :ok :write 1] [1 :ok :write 2]
                                 [2 :invoke :read nil] [2 :ok :read 1]
                                 [2 :invoke :read nil] [2 :ok :read 2]
                                 [2 :invoke :read nil] [2 :ok :read 1])))))
  (testing "a failed write is known not to have happened"
    (is (false? (valid? (history [0 :invoke :write 1] [0 :fail :write 1] [1 :invoke :read nil] [1 :ok :read 1])))))
  (testing "an :info write cannot be undone"
    (is (false? (valid? (history [0 :invoke :write 1] [0 :info :write 1]
                                 [1 :invoke :read nil] [1 :ok :read 1]
                                 [1 :invoke :read nil] [1 :ok :read :absent]))))))

(deftest histories-with-info-ops
  (testing "an :info write may have happened"
    (is (true? (valid? (history [0 :invoke :write 1] [0 :info :write 1] [1 :invoke :read nil] [1 :ok :read 1])))))
  (testing "... or not"
    (is (true? (valid? (history [0 :invoke :write 1] [0 :info :write 1] [1 :invoke :read nil] [1 :ok :read :absent])))))
  (testing "... and may take effect long after its client gave up"
    (is (true? (valid? (history [0 :invoke :write 1] [0 :info :write 1]
                                [1 :invoke :read nil] [1 :ok :read :absent]
                                [1 :invoke :write 2] [1 :ok :write 2]
                                [1 :invoke :read nil] [1 :ok :read 1])))))
  (testing "but not before it was invoked"
    (is (false? (valid? (history [1 :invoke :read nil] [1 :ok :read 1] [0 :invoke :write 1] [0 :info :write 1])))))
  (testing "an invocation the history ends before completing is as good as :info"
    (is (true? (valid? (history [0 :invoke :cas [:absent 1]] [0 :invoke :write 1] [1 :invoke :read nil] [1 :ok :read 1])))))
  (testing ":info reads constrain nothing"
    (is (true? (valid? (history [0 :invoke :write 1] [0 :ok :write 1] [1 :invoke :read nil] [1 :info :read nil]))))))

(deftest a-witness-names-the-op-that-cannot-be-linearized
  (let [r (linear/check-history model (history [0 :invoke :write 1] [0 :ok :write 1]
                                               [0 :invoke :write 2] [0 :ok :write 2]
                                               [1 :invoke :read nil] [1 :ok :read 1]))]
    (is (false? (:valid? r)))
    (is (= {:process 1 :type :ok :f :read :value 1} (select-keys (:op r) [:process :type :f :value])))
    (is (= [2] (:possible-states r)))))

(deftest search-budget-yields-unknown
  (let [h (hs/random-valid-history 120 8 7)]
    (is (true? (:valid? (linear/check-history model h))))
    (is (= :unknown (:valid? (linear/check-history model h 5))))))

(deftest larger-histories-finish-within-the-budget
  ;; 10 processes, about 200 ops on one key: the per-key size the register workload produces.
  (doseq [seed (range 5)]
    (let [h (hs/random-valid-history 200 10 seed)
          r (linear/check-history model h)]
      (is (true? (:valid? r)) (pr-str seed (dissoc r :op))))))

(deftest per-key-checking
  (let [tuple (fn [k [p type f v]] [p type f [k v]])
        good (map #(tuple :a %) [[0 :invoke :write 1] [0 :ok :write 1] [0 :invoke :read nil] [0 :ok :read 1]])
        bad (map #(tuple :b %) [[1 :invoke :write 1] [1 :ok :write 1] [1 :invoke :read nil] [1 :ok :read 3]])
        nemesis {:process :nemesis :type :info :f :start-partition :value :majority}
        h (conj (apply history (interleave good bad)) nemesis)
        c (linear/linearizable {:model model})]
    (testing "the bad key is found and the good key passes"
      (let [r (checker/check c {} h {})]
        (is (false? (:valid? r)))
        (is (= [:b] (:failures r)))
        (is (= 2 (:key-count r)))))
    (testing "an :unknown key makes the whole verdict :unknown, never a pass"
      (let [r (checker/check (linear/linearizable {:model model :budget 0}) {} (apply history good) {})]
        (is (= :unknown (:valid? r)))))))
