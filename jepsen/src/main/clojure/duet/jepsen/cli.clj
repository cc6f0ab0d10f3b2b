(ns duet.jepsen.cli
  "Command line: run the smoke suite, one scenario, or a campaign of scenarios.

    java -cp \"target/classes:target/lib/*\" clojure.main -m duet.jepsen.cli COMMAND [OPTIONS]

  Commands: smoke, test, par, list, cleanup. Exit status: 0 when every run met its expectation,
  1 when one did not, 2 for a usage error, 3 when this machine cannot run the harness (not root,
  no `ip netns`, no iptables)."
  (:require [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.tools.cli :as tools-cli]
            [clojure.tools.logging :as log]
            [duet.jepsen.core :as core]
            [duet.jepsen.net :as net]
            [duet.jepsen.scenarios :as scenarios])
  (:import (java.io File)))

(def options
  [[nil "--scenarios NAMES" "Comma-separated scenarios (test command); see `list`"
    :parse-fn #(mapv keyword (str/split % #","))]
   [nil "--runs N" "Runs of each scenario (test command)" :default 1 :parse-fn parse-long]
   [nil "--seed N" "Seed of the first run (later runs add 1 each); default: from the clock"
    :parse-fn parse-long]
   [nil "--time-limit S" "Seconds of load with faults per run" :parse-fn parse-long]
   [nil "--nodes N" "Node count (1..9)" :parse-fn parse-long]
   [nil "--concurrency N" "Client threads" :parse-fn parse-long]
   [nil "--rate HZ" "Client ops per second, over all threads" :parse-fn parse-double]
   [nil "--interval S" "Seconds between fault actions" :parse-fn parse-double]
   [nil "--ops-per-key N" "Register ops per key" :parse-fn parse-long]
   [nil "--request-timeout-ms MS" "Client deadline per op" :parse-fn parse-long]
   [nil "--server-classpath CP" "Classpath of the Duet server JVMs"
    :default-fn (fn [_] (or (System/getenv "DUET_SERVER_CLASSPATH")
                            ;; run from jepsen/: the server module's jar and its dependencies
                            (let [target (.getCanonicalPath (File. "../modules/server/target"))]
                              (str target "/*:" target "/lib/*"))))]
   [nil "--results-root DIR" "Where each run's folder goes" :default "target/results"]
   [nil "--keep-data" "Keep the nodes' data directories (target/jepsen-data)"]
   ["-h" "--help"]])

(defn- overrides [o]
  {:seed (:seed o) :time-limit-s (:time-limit o) :node-count (:nodes o) :concurrency (:concurrency o)
   :rate-hz (:rate o) :interval-s (:interval o) :ops-per-key (:ops-per-key o)
   :request-timeout-ms (:request-timeout-ms o) :server-classpath (:server-classpath o)
   :results-root (:results-root o) :keep-data? (:keep-data o)})

(defn environment-problem
  "Why this machine cannot run the harness, or nil."
  []
  (cond
    (not= "0" (str/trim (:out (net/sh "id" "-u")))) "the harness needs root (network namespaces, iptables)"
    (not (zero? (:exit (net/sh "ip" "netns" "list")))) "`ip netns` does not work here (install iproute2)"
    (not (zero? (:exit (try (net/sh "iptables" "--version") (catch Exception _ {:exit 1})))))
    "iptables is missing (apt-get install -y iptables)"))

(defn- run-one [scenario-name opts]
  (let [result (core/run! (scenarios/test-map scenario-name (overrides opts)))
        {:keys [test results passed? elapsed-s history]} result
        client-ops (count (filter #(and (integer? (:process %)) (not= :invoke (:type %))) history))]
    (println (format "jepsen: %-12s %s  valid?=%s expected=%s ops=%d seed=%d %ds  %s"
                     (name scenario-name) (if passed? "PASS" "FAIL") (pr-str (:valid? results))
                     (name (:expect test :valid)) client-ops (:seed test) elapsed-s (:results-dir test)))
    (when-not passed?
      ;; the first lines of the run's report, so a CI log says what failed
      (doseq [line (take 12 (str/split-lines (slurp (str (:results-dir test) "/report.txt"))))]
        (println "   " line)))
    (flush)
    passed?))

(defn- run-all
  "Runs the scenarios (each `runs` times, seeds counting up); prints the closing line."
  [scenario-names runs opts]
  (let [seed0 (or (:seed opts) (mod (System/currentTimeMillis) 1000000))
        outcomes (doall (for [[i [s r]] (map-indexed vector (for [r (range runs), s scenario-names] [s r]))]
                          (do (log/info "run" (inc i) "of" (* runs (count scenario-names)) ":" (name s) "round" r)
                              (run-one s (assoc opts :seed (+ seed0 i))))))
        passed (count (filter true? outcomes))
        failed (- (count outcomes) passed)]
    (println (format "jepsen: %d passed, %d failed" passed failed))
    (if (zero? failed) 0 1)))

(defn- par-row
  "One line of the PAR table for a finished run."
  [{:keys [test results passed?]}]
  (let [{:keys [kind mode target whole-cluster? two-members?]} (:par-cell test)
        faults (get-in results [:faults :file-faults])
        damaged (filter :damage faults)
        back (count (filter :ready? damaged))]
    (format "| %s | %s | %s | %s | %d | %d of %d | %s | %s | %s |"
            (name kind) (name mode) (cond two-members? "leader and a follower, all restarted"
                                          whole-cluster? "any, all restarted" (= :primaries target) "leader"
                                          :else "follower")
            (if passed? "**healed**" "**FAILED**")
            (get-in results [:workload :acknowledged-count] 0)
            back (count damaged)
            (get-in results [:workload :lost-count] "?")
            (if (empty? (get-in results [:faults :heal-problems])) "equal" "NOT equal")
            (:seed test))))

(defn- run-par
  "Runs the PAR matrix (or the chosen cells of it) once each, prints the table
  (docs/recovery.md#the-par-matrix) and writes it to target/results/par-matrix.md."
  [names opts]
  (let [names (or names (concat (sort (keys scenarios/par-scenarios)) (sort (keys scenarios/par-extra-scenarios))))
        seed0 (or (:seed opts) (mod (System/currentTimeMillis) 1000000))
        header [(str "| file | damage | member | outcome | acknowledged adds | damaged member back (ready, caught "
                     "up) | acknowledged adds lost | digests after heal | seed |")
                "| --- | --- | --- | --- | ---: | --- | ---: | --- | ---: |"]
        runs (doall (for [[i n] (map-indexed vector names)]
                      (do (log/info "PAR cell" (inc i) "of" (count names) ":" (name n))
                          (let [r (core/run! (scenarios/test-map n (overrides (assoc opts :seed (+ seed0 i)))))]
                            (println (par-row r))
                            (flush)
                            r))))
        table (str/join "\n" (concat header (map par-row runs)))
        failed (count (remove :passed? runs))]
    (spit (io/file (:results-root opts "target/results") "par-matrix.md") (str table "\n"))
    (println table)
    (println (format "jepsen: PAR matrix: %d cells, %d healed, %d failed" (count runs) (- (count runs) failed) failed))
    (if (zero? failed) 0 1)))

(defn- usage [summary]
  (str "usage: clojure.main -m duet.jepsen.cli smoke|test|list|cleanup [options]\n\n"
       "  smoke    the CI suite: " (str/join ", " (map name scenarios/smoke-suite)) "\n"
       "  test     chosen scenarios (--scenarios a,b --runs N --seed S --time-limit T)\n"
       "  par      the PAR matrix: every file kind x damage x member role, and its table (--scenarios a subset)\n"
       "  list     the scenarios\n"
       "  cleanup  remove leftover dj* namespaces and node processes\n\n" summary))

(defn run-command
  "Runs a command; returns the exit status."
  [args]
  (let [{:keys [options arguments errors summary]} (tools-cli/parse-opts args options)
        command (first arguments)]
    (cond
      (or errors (:help options) (nil? command)) (do (println (str/join "\n" errors)) (println (usage summary)) 2)
      (= "list" command) (do (doseq [[k v] (sort scenarios/scenarios)] (println (name k) (pr-str v))) 0)
      :else
      (if-let [problem (environment-problem)]
        (do (println "jepsen: cannot run here:" problem) 3)
        (case command
          "cleanup" (do (net/cleanup!) 0)
          "smoke" (run-all scenarios/smoke-suite 1 options)
          "par" (run-par (:scenarios options) options)
          "test" (if-let [names (:scenarios options)]
                   (run-all names (:runs options) options)
                   (do (println "test needs --scenarios") 2))
          (do (println (usage summary)) 2))))))

(defn -main [& args]
  ;; Namespaces and node processes must not outlive the harness, also on Ctrl-C or SIGTERM.
  (.addShutdownHook (Runtime/getRuntime) (Thread. ^Runnable #(try (net/cleanup!) (catch Throwable _))))
  (let [status (try (run-command args)
                    (catch Throwable e (log/error e "the harness failed") 1))]
    (shutdown-agents)
    (System/exit status)))
