(ns duet.jepsen.store
  "A run's results folder: history.edn (Jepsen's layout: one op per line), results.edn (the
  checkers' output), test.edn (the options, seed included, to re-run it), report.txt (a few
  lines to read first) and nodes/<node>.log (the node processes' output)."
  (:require [clojure.java.io :as io]
            [clojure.pprint :as pprint]
            [clojure.string :as str]
            [duet.jepsen.checker :as checker]
            [duet.jepsen.history :as h])
  (:import (java.time LocalDateTime)
           (java.time.format DateTimeFormatter)))

(defn run-dir
  "<root>/<name>-<yyyyMMdd-HHmmss>[-k]: a new folder for each run."
  [root test-name]
  (let [stamp (.format (LocalDateTime/now) (DateTimeFormatter/ofPattern "yyyyMMdd-HHmmss"))
        base (str test-name "-" stamp)]
    (->> (cons base (map #(str base "-" %) (range 2 100)))
         (map #(io/file root %))
         (remove #(.exists ^java.io.File %))
         first)))

(defn- write-pretty! [file data]
  (io/make-parents file)
  (binding [*print-length* nil, *print-level* nil, *print-namespace-maps* false]
    (spit file (with-out-str (pprint/pprint data)))))

(def test-keys-to-save
  "The options that describe a run (the rest of the test map is live objects)."
  [:name :scenario :seed :nodes :concurrency :time-limit-s :rate-hz :request-timeout-ms :read-option
   :ops-per-key :active-keys :read-fraction :server-args :expect :results-dir])

(defn op-counts [history]
  (let [completions (remove h/invoke? (filter h/client-op? history))]
    (merge {:ok 0 :fail 0 :info 0} (frequencies (map :type completions)))))

(defn report-text [test results history elapsed-s]
  (str/join "\n"
            (concat [(str "test: " (:name test) "  seed: " (:seed test) "  nodes: " (str/join "," (:nodes test)))
                     (str "valid?: " (pr-str (:valid? results)) "  expected: " (pr-str (:expect test :valid))
                          "  passed: " (:passed? results))
                     (str "client ops: " (pr-str (op-counts history))
                          "  nemesis ops: " (count (h/nemesis-completions history))
                          "  elapsed: " elapsed-s " s")]
                    (checker/report-lines results)
                    [""])))

(defn save!
  "Writes a run's files; returns the folder."
  [test history results elapsed-s]
  (let [dir (io/file (:results-dir test))]
    (h/write-edn! (io/file dir "history.edn") history)
    (write-pretty! (io/file dir "results.edn") results)
    (write-pretty! (io/file dir "test.edn") (select-keys test test-keys-to-save))
    (spit (io/file dir "report.txt") (report-text test results history elapsed-s))
    dir))
