(ns duet.jepsen.db
  "Database protocols, with Jepsen's names and contracts (jepsen.db). The Duet implementation is
  duet.jepsen.duet-db.")

(defprotocol DB
  (setup! [db test node] "Starts the database on one node (fresh data).")
  (teardown! [db test node] "Stops the database on one node and removes its data."))

(defprotocol Kill
  (kill! [db test node] "Kills the node's process with SIGKILL; returns once it is gone.")
  (start! [db test node] "Starts the node's process again with its data (no-op when running)."))

(defprotocol Pause
  (pause! [db test node] "Stops the node's process with SIGSTOP.")
  (resume! [db test node] "Continues a stopped process with SIGCONT."))

(defprotocol Primary
  (primaries [db test] "The nodes that say they lead now (possibly several, or none)."))

(defprotocol LogFiles
  (log-files [db test node] "The node's log files (paths), for the report and the log scan."))
