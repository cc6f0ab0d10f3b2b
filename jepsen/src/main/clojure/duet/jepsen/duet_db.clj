(ns duet.jepsen.duet-db
  "Duet nodes as real server processes, one per network namespace (duet.jepsen.net): start,
  SIGKILL, SIGSTOP/SIGCONT, wipe, readiness and leadership. Every node listens on its own
  address with the same ports. Output goes to <results>/nodes/<node>.log, appended across
  restarts. A process that exits without the harness killing it is recorded as a crash."
  (:require [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.tools.logging :as log]
            [duet.jepsen.db :as db]
            [duet.jepsen.net :as net])
  (:import (io.duetdb.client DuetClient EndpointStatus NodeStatus)
           (java.io File)
           (java.lang ProcessBuilder$Redirect)
           (java.net URI)
           (java.net.http HttpClient HttpRequest HttpResponse$BodyHandlers)
           (java.time Duration)
           (java.util.concurrent TimeUnit)))

(def peer-port 7001)
(def client-port 2379)
(def admin-port 9091)
(def ^:private poll-ms 250)
(def ^:private kill-wait-ms 60000)
(def status-timeout-ms 2000)
(def ^:private setup-ready-timeout-ms
  "A fresh cluster elects a leader and every node reports ready: seconds normally, but three JVMs
  start on two shared cores."
  180000)

(defn endpoint [node] (str (net/node-ip node) ":" client-port))
(defn peer-address [node] (str (net/node-ip node) ":" peer-port))
(defn member [node] (str node "=" (net/node-ip node) ":" peer-port ":" client-port))
(defn data-dir ^File [test node] (io/file (:data-root test) node))
(defn log-file ^File [test node] (io/file (:results-dir test) "nodes" (str node ".log")))

(defn delete-tree! [^File f]
  (doseq [^File c (reverse (file-seq f))]
    (.delete c)))

(defn node-command
  "The command line of a node: `ip netns exec` into its namespace, then the server JVM."
  [test node join?]
  (let [ip (net/node-ip node)]
    (concat ["ip" "netns" "exec" (net/node-ns node)
             (str (System/getProperty "java.home") "/bin/java")
             ;; small heaps and a quick-starting JIT: three or five JVMs share two cores
             "-Xmx256m" "-XX:+ExitOnOutOfMemoryError" "-XX:+UseSerialGC" "-XX:TieredStopAtLevel=1"
             "-Dorg.slf4j.simpleLogger.showDateTime=true"
             "-cp" (:server-classpath test) "io.duetdb.server.DuetNodeMain"
             "--id" node "--data-dir" (str (data-dir test node))
             "--host" ip "--listen-host" ip
             "--peer-port" (str peer-port) "--client-port" (str client-port) "--admin-port" (str admin-port)
             "--members" (str/join "," (map member (:nodes test)))
             ;; 8 MiB intent segments instead of 64: less zero-filling at start, and the
             ;; storage faults then also hit segments that are not the last one
             "--intent-segment-bytes" "8388608"
             "--read-option" (name (:read-option test :linearizable))]
            (when join? ["--join"])
            (:server-args test))))

(defn- state-of [db node] (get @(:nodes db) node))

(defn- alive? [db node]
  (when-let [^Process p (:process (state-of db node))] (.isAlive p)))

(defn- note-exit!
  "Records a process that exited although the harness did not kill or remove it."
  [db node]
  (let [{:keys [^Process process state]} (state-of db node)]
    (when (and process (not (.isAlive process)) (#{:running :paused} state))
      (log/warn node "exited by itself with code" (.exitValue process))
      (swap! (:unexpected-exits db) conj {:node node :exit-code (.exitValue process)})
      (swap! (:nodes db) assoc-in [node :state] :crashed))))

(defn start-process!
  "Starts a node's process; join? starts it empty, waiting to be added as a member."
  [db test node join?]
  (let [log (log-file test node)
        cmd (node-command test node join?)]
    (io/make-parents log)
    (spit log (str "---- harness: starting " node (when join? " empty, to join") " ----\n") :append true)
    (let [p (-> (ProcessBuilder. ^java.util.List (vec cmd))
                (.redirectErrorStream true)
                (.redirectOutput (ProcessBuilder$Redirect/appendTo log))
                (.start))]
      (swap! (:nodes db) assoc node {:process p :state :running})
      (log/info "started" node "pid" (.pid p) (if join? "(joining)" "")))))

(defn stop-process!
  "SIGKILLs a node's process, marking it `state` first so the exit is not taken for a crash."
  [db node state]
  (note-exit! db node)
  (when-let [^Process p (:process (state-of db node))]
    (swap! (:nodes db) assoc-in [node :state] state)
    (.destroyForcibly p)
    (when-not (.waitFor p kill-wait-ms TimeUnit/MILLISECONDS)
      (throw (ex-info (str node " survived SIGKILL for " kill-wait-ms " ms") {:node node})))))

(defn- signal! [db node signal]
  (when-let [^Process p (:process (state-of db node))]
    (net/sh! "kill" (str "-" signal) (str (.pid p)))))

(def ^:private http (delay (-> (HttpClient/newBuilder) (.connectTimeout (Duration/ofSeconds 1)) (.build))))

(defn ready?
  "Whether the node's /readyz says 200 (caught up and serving)."
  [node]
  (try
    (let [req (-> (HttpRequest/newBuilder (URI. (str "http://" (net/node-ip node) ":" admin-port "/readyz")))
                  (.timeout (Duration/ofSeconds 2)) (.GET) (.build))]
      (= 200 (.statusCode (.send ^HttpClient @http req (HttpResponse$BodyHandlers/discarding)))))
    (catch Exception _ false)))

(defn admin-client
  "A client of every node (status, membership), shared, made on first use."
  ^DuetClient [db test]
  (or @(:admin db)
      (let [^java.util.List endpoints (mapv endpoint (:nodes test))
            c (-> (DuetClient/builder)
                  (.endpoints endpoints)
                  (.requestTimeout (Duration/ofMillis status-timeout-ms))
                  (.build))]
        (if (compare-and-set! (:admin db) nil c) c (do (.close c) @(:admin db))))))

(defn statuses
  "{node NodeStatus} of the nodes that answered now."
  [db test]
  (let [by-endpoint (into {} (map (juxt endpoint identity)) (:nodes test))]
    (into (sorted-map)
          (for [^EndpointStatus s (.statusAll (.cluster (admin-client db test)))
                :when (.ok s)]
            [(by-endpoint (.endpoint s)) (.status s)]))))

(defn await-condition!
  "Polls `check` every 250 ms until it returns truthy, at most timeout-ms; throws on timeout."
  [what timeout-ms check]
  (let [deadline (+ (System/currentTimeMillis) timeout-ms)]
    (loop []
      (or (check)
          (if (> (System/currentTimeMillis) deadline)
            (throw (ex-info (str "timed out after " timeout-ms " ms waiting for " what) {:what what}))
            (do (Thread/sleep poll-ms) (recur)))))))

(defn await-ready!
  "Waits until the node is ready; fails early when its process has died."
  [db test node timeout-ms]
  (await-condition! (str node " ready") timeout-ms
                    (fn [] (when-not (alive? db node)
                             (note-exit! db node)
                             (throw (ex-info (str node " is not running (see " (log-file test node) ")") {:node node})))
                      (ready? node))))

(defn members-up
  "The nodes that should be serving: started and neither killed nor removed."
  [db]
  (sort (keep (fn [[node {:keys [state]}]] (when (#{:running :paused} state) node)) @(:nodes db))))

(defn await-healthy!
  "Waits until every running node is ready and they all name the same leader, one of them."
  [db test timeout-ms]
  (await-condition! "a ready cluster with one agreed leader" timeout-ms
                    (fn [] (let [up (members-up db)]
                             (doseq [n up] (note-exit! db n))
                             (when (and (seq up) (every? ready? up))
                               (let [ss (statuses db test)
                                     leaders (set (map #(.leaderId ^NodeStatus (ss %)) (filter ss up)))]
                                 (and (= (count up) (count (filter ss up)))
                                      (= 1 (count leaders))
                                      (contains? (set up) (first leaders)))))))))

(defn await-caught-up!
  "Waits until `node` has applied everything the cluster had committed when the wait began
  (a node is ready already within --ready-max-lag-entries of the commit index)."
  [db test node timeout-ms]
  (let [target (reduce max 0 (map #(.commitIndex ^NodeStatus %) (vals (statuses db test))))]
    (await-condition! (str node " applied through index " target) timeout-ms
                      #(when-let [^NodeStatus s (get (statuses db test) node)]
                         (>= (.appliedIndex s) target)))))

(defn await-converged!
  "Waits until every running node reports the same applied index and table digest (with no
  writes coming in, replicas must end identical); returns that [index digest]."
  [db test timeout-ms]
  (await-condition! "replicas with equal applied index and digest" timeout-ms
                    #(let [up (members-up db)
                           ss (statuses db test)
                           views (set (for [n up :let [^NodeStatus s (ss n)] :when s]
                                        [(.appliedIndex s) (.digest s)]))]
                       (when (and (every? ss up) (= 1 (count views)))
                         (first views)))))

(defn remove-node!
  "After its removal from the membership: stop the node and delete its data (a removed node is
  never restarted with its old data)."
  [db test node]
  (stop-process! db node :removed)
  (delete-tree! (data-dir test node)))

(defn join-node!
  "Starts a removed node empty, to be added back with MemberAdd."
  [db test node]
  (delete-tree! (data-dir test node))
  (start-process! db test node true))

(defn removed? [db node] (= :removed (:state (state-of db node))))

(defn unexpected-exits [db] @(:unexpected-exits db))

(defrecord DuetDB [nodes unexpected-exits admin]
  db/DB
  (setup! [this test node]
    (delete-tree! (data-dir test node))
    (start-process! this test node false)
    (await-ready! this test node setup-ready-timeout-ms))
  (teardown! [this test node]
    (note-exit! this node)
    (when (alive? this node) (stop-process! this node :stopped))
    (when-not (:keep-data? test) (delete-tree! (data-dir test node))))

  db/Kill
  (kill! [this _ node] (stop-process! this node :killed))
  (start! [this test node]
    (note-exit! this node)
    (when-not (or (alive? this node) (removed? this node))
      (start-process! this test node false)))

  db/Pause
  (pause! [this _ node]
    (when (alive? this node)
      (signal! this node "STOP")
      (swap! nodes assoc-in [node :state] :paused)))
  (resume! [this _ node]
    (when (= :paused (:state (state-of this node)))
      (signal! this node "CONT")
      (swap! nodes assoc-in [node :state] :running)))

  db/Primary
  (primaries [this test]
    (->> (statuses this test)
         (filter (fn [[_ ^NodeStatus s]] (.isLeader s)))
         (sort-by (fn [[_ ^NodeStatus s]] (- (.raftTerm s))))
         (mapv key)))

  db/LogFiles
  (log-files [_ test node] [(str (log-file test node))]))

(defn duet-db [] (->DuetDB (atom {}) (atom []) (atom nil)))

(defn close! [db]
  (when-let [^DuetClient c @(:admin db)]
    (.close c)))
