(ns duet.jepsen.history-test
  (:require [clojure.java.io :as io]
            [clojure.test :refer [deftest is]]
            [duet.jepsen.history :as h]))

(deftest history-edn-round-trips-one-op-per-line
  (let [ops [{:index 0 :time 1 :type :invoke :process 0 :f :read :value [3 nil]}
             {:index 1 :time 2 :type :info :process :nemesis :f :start-partition
              :value {:shape :bridge :grudge {"n1" #{"n2"} "n2" #{"n1"}}}}
             {:index 2 :time 3 :type :ok :process 0 :f :read :value [3 :absent]}
             {:index 3 :time 4 :type :ok :process 1 :f :read :value (sorted-set 1 2 3)}]
        f (io/file (System/getProperty "java.io.tmpdir") (str "dj-history-" (System/nanoTime) ".edn"))]
    (try
      (h/write-edn! f ops)
      (is (= 4 (count (line-seq (io/reader f)))))
      (is (= ops (h/read-edn f)))
      (finally (.delete f)))))

(deftest pairs-match-invocations-with-completions
  (let [ops [{:index 0 :type :invoke :process 0 :f :write :value 1}
             {:index 1 :type :invoke :process 1 :f :read}
             {:index 2 :type :info :process :nemesis :f :kill}
             {:index 3 :type :ok :process 1 :f :read :value 1}]]
    (is (= [[(ops 0) nil] [(ops 1) (ops 3)]] (h/pairs ops)))))
