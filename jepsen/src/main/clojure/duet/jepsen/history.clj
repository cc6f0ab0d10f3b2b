(ns duet.jepsen.history
  "Histories as Jepsen writes them: a vector of op maps with the keys :index, :time (nanoseconds
  since the test started), :type (:invoke, :ok, :fail, :info), :process (an integer for clients,
  :nemesis for the nemesis), :f and :value, and :error on some completions. history.edn holds one
  op per line, so tools that read Jepsen's history.edn (knossos's CLI) can read ours."
  (:require [clojure.edn :as edn]
            [clojure.java.io :as io]
            [clojure.string :as str]))

(defn invoke? [op] (= :invoke (:type op)))
(defn ok? [op] (= :ok (:type op)))
(defn fail? [op] (= :fail (:type op)))
(defn info? [op] (= :info (:type op)))

(defn client-op?
  "Client processes are integers; the nemesis is :nemesis."
  [op]
  (integer? (:process op)))

(defn pairs
  "Each client invocation with its completion, in invocation order: [invoke completion], where
  completion is nil when the history ends before it (the op is then as good as :info)."
  [history]
  (loop [ops (seq history), open {}, order [], done {}]
    (if-let [op (first ops)]
      (cond
        (not (client-op? op)) (recur (next ops) open order done)
        (invoke? op) (recur (next ops) (assoc open (:process op) op) (conj order op) done)
        :else (let [inv (get open (:process op))]
                (when-not inv
                  (throw (ex-info "a completion without an invocation" {:op op})))
                (recur (next ops) (dissoc open (:process op)) order (assoc done (:index inv) op))))
      (mapv (fn [inv] [inv (get done (:index inv))]) order))))

;; The nemesis has one op in flight at a time, and Jepsen records both its invocation and its
;; completion as :info: they alternate.
(defn nemesis-completions
  "The nemesis's completed ops (each with what it did in :value)."
  [history]
  (->> history (filter #(= :nemesis (:process %))) (partition 2) (map second)))

(defn write-edn!
  "Writes ops one per line (Jepsen's history.edn layout)."
  [file ops]
  (io/make-parents file)
  (with-open [w (io/writer file)]
    (binding [*print-length* nil, *print-level* nil, *print-namespace-maps* false, *out* w]
      (doseq [op ops]
        (prn op)))))

(defn read-edn
  "Reads a history.edn back into a vector of ops."
  [file]
  (with-open [r (io/reader file)]
    (into [] (comp (remove str/blank?) (map edn/read-string)) (line-seq r))))
