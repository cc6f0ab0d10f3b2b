(ns duet.jepsen.duet-client-test
  (:require [clojure.test :refer [deftest is testing]]
            [duet.jepsen.duet-client :as dc])
  (:import (java.io IOException)
           (java.net ConnectException)))

(deftest fail-only-when-the-op-certainly-did-not-happen
  (testing "reads change nothing: a failed read is :fail"
    (is (= :fail (dc/failure-type {:read? true :attempts 1 :outcome-unknown? true}))))
  (testing "a write that was never sent"
    (is (= :fail (dc/failure-type {:attempts 0 :outcome-unknown? false}))))
  (testing "a write every attempt of which was refused before the log"
    (is (= :fail (dc/failure-type {:attempts 1 :outcome-unknown? false}))))
  (testing "a write whose only attempt could not connect"
    (is (= :fail (dc/failure-type {:attempts 1 :outcome-unknown? true :connect-failure? true}))))
  (testing "a write that timed out or lost its connection may have happened"
    (is (= :info (dc/failure-type {:attempts 1 :outcome-unknown? true})))
    (is (= :info (dc/failure-type {:attempts 2 :outcome-unknown? true :connect-failure? true})))))

(deftest connect-failures-are-found-in-the-cause-chain
  (is (dc/connect-failure? (RuntimeException. "UNAVAILABLE" (IOException. "x" (ConnectException. "Connection refused")))))
  (is (not (dc/connect-failure? (RuntimeException. "UNAVAILABLE" (IOException. "Connection reset by peer"))))))

(deftest keys-sort-like-their-numbers
  (is (= (sort [(dc/set-key 10) (dc/set-key 9) (dc/set-key 100)]) [(dc/set-key 9) (dc/set-key 10) (dc/set-key 100)])))
