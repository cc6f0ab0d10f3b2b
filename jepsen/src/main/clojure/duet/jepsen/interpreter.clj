(ns duet.jepsen.interpreter
  "Runs a test's generator as Jepsen's interpreter does: one worker thread per client thread
  plus one for the nemesis; a single loop asks the generator for ops, hands each to the idle
  worker whose process it names, and records invocations and completions in one history. A
  client op that ends :info retires its process: the thread continues as process + concurrency
  (with a freshly opened client), so no process ever has two ops outstanding."
  (:refer-clojure :exclude [run!])
  (:require [clojure.tools.logging :as log]
            [duet.jepsen.client :as client]
            [duet.jepsen.generator :as gen]
            [duet.jepsen.history :as h]
            [duet.jepsen.nemesis :as nemesis])
  (:import (java.util Random)
           (java.util.concurrent ArrayBlockingQueue LinkedBlockingQueue TimeUnit)))

(def ^:private pending-poll-ms
  "How long to wait for a completion when the generator is :pending. Pending generators wake on
  events (completions, which end the wait at once) or on time (a time-limit), hence the bound."
  10)

(def ^:private idle-poll-ms 1000)

(defn- not-recorded? [op] (#{:sleep :log} (:type op)))

(defn- valid-completion
  "The worker's completion, checked: same process and :f, and a completion type."
  [invocation completion]
  (if (and (map? completion)
           (= (:process invocation) (:process completion))
           (= (:f invocation) (:f completion))
           (#{:ok :fail :info} (:type completion)))
    completion
    (assoc invocation :type :info :error [:invalid-completion (pr-str completion)])))

(defn- run-client-op
  "Invokes op with the thread's client, opening a new one for a new process. Returns
  [client completion]."
  [test node client op]
  (let [fresh? (not= (::process (meta client)) (:process op))
        client (if fresh?
                 (do (when client (client/close! client test))
                     (try (with-meta (client/open! (:client test) test node) {::process (:process op)})
                          (catch Throwable e
                            (log/warn e "could not open a client for" node)
                            nil)))
                 client)]
    (if-not client
      ;; nothing was sent: the op certainly did not happen
      [nil (assoc op :type :fail :error [:no-client])]
      [client (try (valid-completion op (client/invoke! client test op))
                   (catch Throwable e
                     (log/warn e "client op threw" (pr-str op))
                     (assoc op :type :info :error [:exception (str e)])))])))

(defn- worker-loop [test thread in completions]
  (let [node (when (integer? thread) (nth (:nodes test) (mod thread (count (:nodes test)))))]
    (loop [client nil]
      (let [op (.take ^ArrayBlockingQueue in)]
        (if (= ::exit op)
          (when client (client/close! client test))
          (let [[client done]
                (case (:type op)
                  :sleep (do (Thread/sleep (long (* 1000 (:value op)))) [client op])
                  :log (do (log/info (:value op)) [client op])
                  (if (= :nemesis thread)
                    [client (try (valid-completion op (nemesis/invoke! (:nemesis test) test op))
                                 (catch Throwable e
                                   (log/warn e "nemesis op threw" (pr-str op))
                                   (assoc op :type :info :error [:exception (str e)])))]
                    (run-client-op test node client op)))]
            (.put ^LinkedBlockingQueue completions [thread done])
            (recur client)))))))

(defn- start-workers [test threads completions]
  (into {} (for [t threads]
             (let [in (ArrayBlockingQueue. 1)
                   th (Thread. ^Runnable #(worker-loop test t in completions) (str "jepsen-worker-" t))]
               (.setDaemon th true) ; a worker stuck in a call must not keep the JVM alive
               (.start th)
               [t {:in in :thread th}]))))

(defn- stop-workers [workers join-ms]
  (doseq [{:keys [in]} (vals workers)]
    (.offer ^ArrayBlockingQueue in ::exit 1 TimeUnit/SECONDS))
  (doseq [{:keys [^Thread thread]} (vals workers)]
    (.join thread (long join-ms))))

(defn run!
  "Runs (:generator test) to exhaustion and returns the history. Stops dispatching once
  :deadline-ms passes (a safety bound on top of the generator's own time limits), then waits for
  the ops in flight. Workers get at most :worker-join-ms to finish at the end."
  [test]
  (let [concurrency (:concurrency test)
        threads (conj (vec (range concurrency)) :nemesis)
        completions (LinkedBlockingQueue.)
        workers (start-workers test threads completions)
        t0 (System/nanoTime)
        now #(- (System/nanoTime) t0)
        deadline-nanos (* 1000000 (long (:deadline-ms test 3600000)))]
    (try
      (loop [gen (:generator test)
             ctx {:time 0 :free-threads (set threads) :workers (zipmap threads threads)
                  :concurrency concurrency :rng (Random. (long (:seed test 0)))}
             outstanding 0
             history (transient [])
             wait-ms 0]
        (if-let [[thread done] (.poll completions (long wait-ms) TimeUnit/MILLISECONDS)]
          (let [t (now)
                done (assoc done :time t :index (count history))
                ctx (assoc ctx :time t)
                gen (if (not-recorded? done) gen (gen/update gen test ctx done))
                ctx (cond-> (clojure.core/update ctx :free-threads conj thread)
                      (and (integer? thread) (h/info? done))
                      (clojure.core/update-in [:workers thread] + concurrency))]
            (recur gen ctx (dec outstanding) (if (not-recorded? done) history (conj! history done)) 0))
          (let [t (now)
                ctx (assoc ctx :time t)
                result (when (< t deadline-nanos) (gen/op gen test ctx))]
            (cond
              (nil? result)
              (if (zero? outstanding)
                (persistent! history)
                (recur gen ctx outstanding history (long idle-poll-ms)))

              (= :pending (first result))
              (recur (second result) ctx outstanding history (long pending-poll-ms))

              :else
              (let [[op gen'] result]
                (if (> (:time op) t)
                  (recur gen ctx outstanding history (long (max 1 (min idle-poll-ms (quot (- (:time op) t) 1000000)))))
                  (let [thread (gen/process->thread ctx (:process op))
                        _ (when-not (contains? (:free-threads ctx) thread)
                            (throw (ex-info "generator emitted an op for a busy thread" {:op op})))
                        op (assoc op :time t :index (count history))
                        ctx (clojure.core/update ctx :free-threads disj thread)
                        gen' (if (not-recorded? op) gen' (gen/update gen' test ctx op))]
                    (.put ^ArrayBlockingQueue (get-in workers [thread :in]) op)
                    (recur gen' ctx (inc outstanding)
                           (if (not-recorded? op) history (conj! history op)) 0))))))))
      (finally
        (stop-workers workers (:worker-join-ms test 30000))))))
