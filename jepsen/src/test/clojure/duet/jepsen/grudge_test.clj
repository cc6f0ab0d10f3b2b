(ns duet.jepsen.grudge-test
  (:require [clojure.test :refer [deftest is testing]]
            [duet.jepsen.grudge :as grudge])
  (:import (java.util Random)))

(def three ["n1" "n2" "n3"])
(def five ["n1" "n2" "n3" "n4" "n5"])
(defn- majority? [nodes seen] (> (count seen) (/ (count nodes) 2)))

(deftest complete-grudges-cut-between-components-only
  (let [g (grudge/complete-grudge [["n1"] ["n2" "n3"]])]
    (is (= {"n1" #{"n2" "n3"} "n2" #{"n1"} "n3" #{"n1"}} g))
    (is (grudge/symmetric? g))))

(deftest random-halves-leave-one-majority-side
  (doseq [seed (range 20)
          nodes [three five]]
    (let [g (grudge/random-halves (Random. seed) nodes)]
      (is (grudge/symmetric? g))
      (is (= (inc (quot (count nodes) 2)) (count (filter #(majority? nodes (grudge/visible g nodes %)) nodes)))))))

(deftest isolate-cuts-one-node-off
  (let [g (grudge/isolate five "n3")]
    (is (= #{"n3"} (grudge/visible g five "n3")))
    (is (= #{"n1" "n2" "n4" "n5"} (grudge/visible g five "n1")))))

(deftest majorities-ring-gives-every-node-a-different-majority
  (doseq [seed (range 20)]
    (let [g (grudge/majorities-ring (Random. seed) five)
          views (map #(grudge/visible g five %) five)]
      (is (grudge/symmetric? g))
      (is (every? #(= 3 (count %)) views))
      (is (= 5 (count (set views))) "no two nodes see the same majority"))))

(deftest bridge-keeps-one-node-in-touch-with-both-sides
  (doseq [seed (range 10)
          nodes [three five]]
    (let [g (grudge/bridge (Random. seed) nodes)
          middle (first (filter #(= (set nodes) (grudge/visible g nodes %)) nodes))]
      (is (some? middle))
      (is (grudge/symmetric? g))
      (testing "the others see only their half and the middle"
        (is (every? #(not (majority? nodes (disj (grudge/visible g nodes %) middle)))
                    (remove #{middle} nodes)))))))
