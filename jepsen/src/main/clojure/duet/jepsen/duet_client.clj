(ns duet.jepsen.duet-client
  "Jepsen clients over the project's Java client (io.duetdb:duet-client). Each process has its
  own DuetClient bound to one node's endpoint (the Jepsen way: a worker talks to its node, so a
  node that serves stale data is seen). The DuetClient makes one attempt per call: retries would
  blur what the history records.

  Outcomes: :ok on success. :fail only when the op certainly did not take effect: a read (reads
  change nothing), a cas whose compare did not hold, a write refused before it was applied, or
  one that never left this process (no attempt, or the only attempt could not connect). Every
  other failure is :info: the write may or may not have happened."
  (:require [clojure.string]
            [duet.jepsen.client :as client]
            [duet.jepsen.duet-db :as duet-db])
  (:import (io.duetdb.client Compare DuetClient DuetException KeyValue KvClient Op RangeQuery
                             RangeResult TxnResult)
           (java.net ConnectException)
           (java.time Duration)
           (java.util Optional)))

(defn connect-failure?
  "Whether the failure's cause chain holds a refused or failed TCP connect."
  [^Throwable t]
  (boolean (some #(instance? ConnectException %) (take-while some? (iterate #(.getCause ^Throwable %) t)))))

(defn failure-type
  "Whether a failed op is :fail or :info, from facts about the failure (a pure function, so
  that the rule can be tested without a cluster)."
  [{:keys [read? attempts outcome-unknown? connect-failure?]}]
  (cond
    read? :fail
    (zero? attempts) :fail                              ; never sent
    (not outcome-unknown?) :fail                        ; every attempt refused before the log
    (and connect-failure? (= 1 attempts)) :fail         ; the one attempt never reached a node
    :else :info))

(defn- failed [op ^Throwable e]
  (let [duet? (instance? DuetException e)
        facts {:read? (= :read (:f op))
               :attempts (if duet? (.attempts ^DuetException e) 1)
               :outcome-unknown? (if duet? (.outcomeUnknown ^DuetException e) true)
               :connect-failure? (connect-failure? e)}]
    (assoc op
           :type (failure-type facts)
           :error [(if duet? (keyword (str (.code ^DuetException e))) :exception)
                   (let [m (str (.getMessage e))] (subs m 0 (min 200 (count m))))])))

(defn open-client
  "A DuetClient of one node: a single attempt per call within request-timeout-ms."
  ^DuetClient [test node]
  (let [timeout (Duration/ofMillis (:request-timeout-ms test 2500))
        ^java.util.List endpoints [(duet-db/endpoint node)]]
    (-> (DuetClient/builder)
        (.endpoints endpoints)
        (.requestTimeout timeout)
        (.attemptTimeout timeout)
        (.maxAttempts 1)
        (.build))))

(defn- value-of
  "A stored value as the harness wrote it (a number, perhaps followed by a space and padding),
  kept as text if it is not one."
  [^KeyValue kv]
  (let [s (.toStringUtf8 (.value kv))
        n (first (clojure.string/split s #" " 2))]
    (or (parse-long n) s)))

(defn padded
  "The text of value v, followed by a space and `padding` filler bytes when padding is positive
  (large values fill a store toward its space quota)."
  [v padding]
  (if (pos? (or padding 0))
    (str v " " (apply str (repeat padding \x)))
    (str v)))

(defn register-key [k] (str "r/" k))

(defrecord RegisterClient [^DuetClient conn]
  client/Client
  (open! [_ test node] (->RegisterClient (open-client test node)))
  (setup! [_ _])
  (invoke! [_ _ op]
    (let [[k v] (:value op)
          key (register-key k)
          kv (.kv conn)]
      (try
        (case (:f op)
          :read (let [^Optional found (.get kv ^String key)]
                  (assoc op :type :ok :value [k (if (.isPresent found) (value-of (.get found)) :absent)]))
          :write (do (.put kv ^String key (str v))
                     (assoc op :type :ok))
          :cas (let [[old new] v
                     ^TxnResult r (-> (.txn kv)
                                      (.when (into-array Compare [(.equalTo (Compare/value ^String key) (str old))]))
                                      (.then (into-array Op [(Op/put ^String key ^String (str new))]))
                                      (.commit))]
                 (cond
                   ;; a repeat of an applied write: which branch ran is not known
                   (.duplicate r) (assoc op :type :info :error [:duplicate])
                   (.succeeded r) (assoc op :type :ok)
                   :else (assoc op :type :fail :error [:compare-failed]))))
        (catch Exception e (failed op e)))))
  (teardown! [_ _])
  (close! [_ _] (when conn (.close conn))))

(defn register-client [] (->RegisterClient nil))

(def set-prefix "s/")

(defn set-key [v] (format "%s%09d" set-prefix v))

(defrecord SetClient [^DuetClient conn]
  client/Client
  (open! [_ test node] (->SetClient (open-client test node)))
  (setup! [_ _])
  (invoke! [_ test op]
    (let [kv (.kv conn)]
      (try
        (case (:f op)
          :add (do (.put kv ^String (set-key (:value op)) ^String (padded (:value op) (:value-padding-bytes test)))
                   (assoc op :type :ok))
          :read (let [^RangeResult r (.range kv (RangeQuery/prefix ^String set-prefix))]
                  (if (.more r)
                    (assoc op :type :fail :error [:truncated-read])
                    (assoc op :type :ok :value (into (sorted-set) (map value-of) (.kvs r))))))
        (catch Exception e (failed op e)))))
  (teardown! [_ _])
  (close! [_ _] (when conn (.close conn))))

(defn set-client [] (->SetClient nil))
