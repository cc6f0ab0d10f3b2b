(ns duet.jepsen.net
  "Nodes as Linux network namespaces on this machine, and partitions with iptables inside them.

  Layout (every name starts with dj, so leftovers are easy to find and remove):
    djbr          a namespace holding the bridge djbr0
    djn1..djnN    one namespace per node: veth djnKe (10.77.0.1K/24) to port djnKp on the bridge
    djh0          a veth in the root namespace (10.77.0.1/24) to port djh0p on the bridge, so the
                  harness's clients reach the nodes; partitions never drop its packets (as in
                  Jepsen, where the control node stays connected)
  Deleting the namespaces deletes every veth with them. Processes are started in a node's
  namespace with `ip netns exec`, which execs, so the started process is the node itself."
  (:require [clojure.string :as str]
            [clojure.tools.logging :as log])
  (:import (java.util.concurrent TimeUnit)))

(def name-prefix "dj")
(def bridge-ns "djbr")
(def bridge-dev "djbr0")
(def host-dev "djh0")
(def host-ip "10.77.0.1")
(def ^:private command-timeout-ms 60000)

(defn node-ns [node] (str name-prefix node))

(defn node-number
  "n1 -> 1. Nodes are named n1..n9."
  [node]
  (let [n (parse-long (subs node 1))]
    (when-not (and (str/starts-with? node "n") n (<= 1 n 9))
      (throw (ex-info "nodes are named n1..n9" {:node node})))
    n))

(defn node-ip [node] (str "10.77.0." (+ 10 (node-number node))))

(defn sh
  "Runs a command, bounded by a timeout; returns {:exit n :out text} (stderr merged)."
  [& args]
  (let [p (-> (ProcessBuilder. ^java.util.List (mapv str args)) (.redirectErrorStream true) (.start))
        out (future (slurp (.getInputStream p)))]
    (if (.waitFor p command-timeout-ms TimeUnit/MILLISECONDS)
      {:exit (.exitValue p) :out @out}
      (do (.destroyForcibly p)
          (throw (ex-info (str "timed out after " command-timeout-ms " ms: " (str/join " " args)) {:args args}))))))

(defn sh!
  "Runs a command; throws unless it exits 0. Returns its output."
  [& args]
  (let [{:keys [exit out]} (apply sh args)]
    (when-not (zero? exit)
      (throw (ex-info (str "exit " exit ": " (str/join " " args) "\n" out) {:exit exit :args args})))
    out))

(defn in-ns!
  "Runs a command inside a network namespace."
  [ns & args]
  (apply sh! "ip" "netns" "exec" ns args))

(defn namespaces
  "Our namespaces that exist now."
  []
  (->> (str/split-lines (:out (sh "ip" "netns" "list")))
       (map #(first (str/split (str/trim %) #"\s+")))
       (filter #(and % (str/starts-with? % name-prefix)))
       sort))

(defn pids-in
  "The processes living in a namespace."
  [ns]
  (->> (str/split-lines (:out (sh "ip" "netns" "pids" ns)))
       (keep #(parse-long (str/trim %)))))

(defn kill-all-in!
  "SIGKILLs every process in a namespace and waits (bounded) until they are gone."
  [ns]
  (loop [attempt 0]
    (let [pids (pids-in ns)]
      (when (seq pids)
        (when (>= attempt 100)
          (throw (ex-info (str "processes in " ns " survive SIGKILL") {:pids pids})))
        (apply sh "kill" "-9" pids)
        ;; exits are asynchronous: look again until the kernel has reaped them
        (Thread/sleep 100)
        (recur (inc attempt))))))

(defn cleanup!
  "Removes everything this harness creates: our processes, namespaces and the host veth.
  Idempotent; run at start (leftovers of a crashed run) and at exit."
  []
  (doseq [ns (namespaces)]
    (kill-all-in! ns)
    (sh "ip" "netns" "del" ns))
  (when (zero? (:exit (sh "ip" "link" "show" host-dev)))
    (sh "ip" "link" "del" host-dev)))

(defn setup!
  "Creates the bridge, a namespace per node and the host's link to the bridge."
  [nodes]
  (cleanup!)
  (sh! "ip" "netns" "add" bridge-ns)
  (in-ns! bridge-ns "ip" "link" "add" bridge-dev "type" "bridge")
  (in-ns! bridge-ns "ip" "link" "set" bridge-dev "up")
  (doseq [node nodes
          :let [ns (node-ns node), dev (str ns "e"), port (str ns "p")]]
    (sh! "ip" "netns" "add" ns)
    (sh! "ip" "link" "add" dev "netns" ns "type" "veth" "peer" "name" port "netns" bridge-ns)
    (in-ns! bridge-ns "ip" "link" "set" port "master" bridge-dev "up")
    (in-ns! ns "ip" "addr" "add" (str (node-ip node) "/24") "dev" dev)
    (in-ns! ns "ip" "link" "set" dev "up")
    (in-ns! ns "ip" "link" "set" "lo" "up"))
  (sh! "ip" "link" "add" host-dev "type" "veth" "peer" "name" (str host-dev "p") "netns" bridge-ns)
  (in-ns! bridge-ns "ip" "link" "set" (str host-dev "p") "master" bridge-dev "up")
  (sh! "ip" "addr" "add" (str host-ip "/24") "dev" host-dev)
  (sh! "ip" "link" "set" host-dev "up")
  (log/info "network namespaces up for" (vec nodes)))

(defn drop-grudge!
  "Applies a grudge: in each node's namespace, drop packets from the nodes it holds a grudge
  against (Jepsen's iptables approach: DROP on INPUT, at the destination)."
  [grudge]
  (doseq [[node dropped] grudge
          :when (seq dropped)]
    (in-ns! (node-ns node) "sh" "-c"
            (str/join " && " (for [d dropped] (str "iptables -w -A INPUT -s " (node-ip d) " -j DROP"))))))

(defn heal!
  "Removes every partition rule."
  [nodes]
  (doseq [node nodes]
    (in-ns! (node-ns node) "iptables" "-w" "-F" "INPUT")))

(defn dropped-sources
  "The sources a node's namespace drops now (from its iptables rules), for checks."
  [node]
  (->> (str/split-lines (in-ns! (node-ns node) "iptables" "-w" "-S" "INPUT"))
       (keep #(second (re-find #"-A INPUT -s ([0-9.]+)/32 -j DROP" %)))
       set))
