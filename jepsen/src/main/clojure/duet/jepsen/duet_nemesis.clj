(ns duet.jepsen.duet-nemesis
  "Duet-specific faults: membership changes (remove a member and add it back wiped) and damage
  to a stopped node's intent WAL, plus the final heal that waits for a healthy cluster."
  (:require [clojure.tools.logging :as log]
            [duet.jepsen.checker :as checker]
            [duet.jepsen.history :as h]
            [duet.jepsen.db :as db]
            [duet.jepsen.duet-db :as duet-db]
            [duet.jepsen.nemesis :as nemesis]
            [duet.jepsen.net :as net]
            [duet.jepsen.file-damage :as file-damage]
            [duet.jepsen.wal-damage :as wal-damage])
  (:import (io.duetdb.client ClusterClient DuetClient Member MemberList NodeStatus)
           (java.time Duration)))

(def ^:private membership-timeout-ms
  "A membership change waits for the new member to catch up: give it time on a loaded machine."
  60000)

(def ready-timeout-ms 120000)

(defn- cluster-client ^ClusterClient [test]
  (.withTimeout (.cluster ^DuetClient (duet-db/admin-client (:db test) test))
                (Duration/ofMillis membership-timeout-ms)))

(defn member-ids
  "The members as the cluster sees them now, or nil when nobody answers."
  [test]
  (try (set (map #(.id ^Member %) (.members ^MemberList (.memberList (.cluster (duet-db/admin-client (:db test) test))))))
       (catch Exception e (log/warn "member list failed:" (.getMessage e)) nil)))

(defn- await-membership!
  "After a membership call failed (its outcome unknown), waits until the member list shows
  whether it happened: returns true when `node` is a member, false when it is not."
  [test node expect-member?]
  (try
    (duet-db/await-condition! (str node (if expect-member? " added" " removed")) 30000
                              #(when-let [ids (member-ids test)]
                                 (= expect-member? (contains? ids node))))
    expect-member?
    (catch Exception _ (contains? (or (member-ids test) #{}) node))))

(defn remove-member!
  "Removes one member (never the last but one) and stops and wipes it."
  [test target]
  (let [db (:db test)
        node (first (nemesis/targets test target))]
    (if (some #(duet-db/removed? db %) (:nodes test))
      {:skipped "a node is already removed"}
      (let [error (try (.removeMember (cluster-client test) ^String node) nil
                       (catch Exception e (.getMessage e)))
            member? (if error (await-membership! test node false) false)]
        (if member?
          {:node node :removed? false :error error}
          (do (duet-db/remove-node! db test node)
              {:node node :removed? true}))))))

(defn add-members!
  "Starts every removed node empty and adds it back; waits until each is ready."
  [test]
  (let [db (:db test)]
    (vec (for [node (:nodes test) :when (duet-db/removed? db node)]
           (do (duet-db/join-node! db test node)
               (let [error (try (.addMember (cluster-client test) ^String node
                                            ^String (duet-db/peer-address node) ^String (duet-db/endpoint node))
                                nil
                                (catch Exception e (.getMessage e)))
                     member? (if error (await-membership! test node true) true)
                     ready? (and member?
                                 (try (duet-db/await-ready! db test node ready-timeout-ms) true
                                      (catch Exception e (log/warn (.getMessage e)) false)))]
                 (when-not member?
                   ;; not added: stop it again, so that it is only ever restarted empty, to join
                   (duet-db/remove-node! db test node))
                 {:node node :added? member? :ready? ready? :error error}))))))

(defn membership
  "{:f :remove-member :value target} removes a member and wipes it; {:f :add-member} adds every
  removed node back, empty."
  []
  (reify nemesis/Nemesis
    (setup! [this _] this)
    (invoke! [_ test op]
      (case (:f op)
        :remove-member (assoc op :type :info :value (remove-member! test (:value op)))
        :add-member (assoc op :type :info :value (add-members! test))))
    (teardown! [_ _])))

(defn- repaired-intents [test node]
  (when-let [^NodeStatus s (get (duet-db/statuses (:db test) test) node)]
    (.repairedIntents s)))

(defn corrupt-intent-wal!
  "Kills a node, damages its intent WAL, restarts it, waits until it is ready and reads how many
  intents it repaired from replicas."
  [test {:keys [target mode]}]
  (let [db (:db test)
        node (first (nemesis/targets test target))]
    (db/kill! db test node)
    (let [damage (wal-damage/damage! (duet-db/data-dir test node) mode (nemesis/rng test))]
      (db/start! db test node)
      (let [ready? (try (duet-db/await-ready! db test node ready-timeout-ms)
                        ;; repairs run while the node replays: count them once it caught up
                        (duet-db/await-caught-up! db test node ready-timeout-ms)
                        true
                        (catch Exception e (log/warn (.getMessage e)) false))]
        {:node node :mode mode :damage damage :ready? ready?
         :repaired-intents (when ready? (repaired-intents test node))}))))

(defn intent-wal-damager
  "{:f :corrupt-intent-wal :value {:target t :mode :bitflip|:truncate}}."
  []
  (reify nemesis/Nemesis
    (setup! [this _] this)
    (invoke! [_ test op] (assoc op :type :info :value (corrupt-intent-wal! test (:value op))))
    (teardown! [_ _])))

(defn corrupt-file!
  "A cell of the PAR matrix: kills a member (with :whole-cluster?, every member), damages one file
  of a kind (file-damage), restarts it (them), and waits until it is ready again (readiness judges
  it against the leader's commit index) and has applied what the cluster had committed. With
  :two-members?, the whole cluster is killed, the leader first, and the file is damaged on the
  leader and on a follower: the third member, killed last, holds what they acknowledged."
  [test {:keys [target kind mode whole-cluster? two-members?]}]
  (let [db (:db test)
        node (first (nemesis/targets test target))
        damaged (if two-members?
                  (vec (distinct (concat (nemesis/targets test :primaries) (nemesis/targets test :one-follower))))
                  [node])
        stopped (if (or whole-cluster? two-members?)
                  (vec (distinct (concat damaged (:nodes test))))
                  [node])]
    (doseq [n stopped] (db/kill! db test n))
    (let [damage (mapv #(file-damage/damage! (duet-db/data-dir test %) kind mode (nemesis/rng test)) damaged)]
      (doseq [n stopped] (db/start! db test n))
      (let [back? (try (doseq [n stopped] (duet-db/await-ready! db test n ready-timeout-ms))
                       (doseq [n damaged] (duet-db/await-caught-up! db test n ready-timeout-ms))
                       true
                       (catch Exception e (log/warn (.getMessage e)) false))]
        {:node (if two-members? damaged node) :kind kind :mode mode
         :whole-cluster? (boolean (or whole-cluster? two-members?)) :two-members? (boolean two-members?)
         :damage (if two-members? (when (every? some? damage) damage) (first damage)) :ready? back?}))))

(defn file-damager
  "{:f :corrupt-file :value {:target t :kind k :mode m}}."
  []
  (reify nemesis/Nemesis
    (setup! [this _] this)
    (invoke! [_ test op] (assoc op :type :info :value (corrupt-file! test (:value op))))
    (teardown! [_ _])))

(def ^:private probe-timeout-ms 30000)

(defn probe-write!
  "Deletes one key (outside the workloads' prefixes) and returns :ok once the delete committed: a
  cluster whose nodes all say they are ready must also accept writes. A delete, because a store at
  its space quota refuses puts by design but commits deletes."
  [test]
  (try (-> (duet-db/admin-client (:db test) test) .kv (.withTimeout (Duration/ofMillis probe-timeout-ms))
           (.delete "jepsen/probe"))
       :ok
       (catch Exception e (str "the probe write failed: " (.getMessage e)))))

(defn healer
  "{:f :heal} ends every fault: the network heals, paused nodes continue, killed nodes start,
  removed nodes come back; then it waits until the cluster is healthy (every node ready, one
  agreed leader), a probe write commits, and the replicas converged (equal applied index and
  table digest). The final phase of every test begins with it, so the final reads see a
  recovered cluster instead of guessing how long recovery takes."
  []
  (reify nemesis/Nemesis
    (setup! [this _] this)
    (invoke! [_ test op]
      (let [db (:db test)]
        (net/heal! (:nodes test))
        (doseq [n (:nodes test)]
          (db/resume! db test n)
          (db/start! db test n))
        (let [added (add-members! test)
              healthy (try (duet-db/await-healthy! db test ready-timeout-ms) :healthy
                           (catch Exception e (.getMessage e)))
              probe (when (= :healthy healthy) (probe-write! test))
              converged (when (= :ok probe)
                          (try (let [[index digest] (duet-db/await-converged! db test ready-timeout-ms)]
                                 {:applied-index index :digest digest})
                               (catch Exception e {:error (.getMessage e)})))]
          (assoc op :type :info :value {:added added :cluster healthy :probe-write probe
                                        :converged converged}))))
    (teardown! [_ _])))

(defn faults-checker
  "Did the faults heal as they must? Every node process exited only when the harness killed it;
  every :heal ended with a healthy cluster whose replicas converged; every node whose intent WAL was damaged came back
  ready and repaired intents from its replicas; every node with a damaged file (PAR matrix) came back ready and caught
  up; every removed node came back ready."
  []
  (reify checker/Checker
    (checker/check [_ test history _]
      (let [done (h/nemesis-completions history)
            of-f (fn [f] (filter #(= f (:f %)) done))
            heal-problems (remove #(and (= :healthy (get-in % [:value :cluster]))
                                        (get-in % [:value :converged :digest]))
                                  (of-f :heal))
            storage-problems (remove #(let [{:keys [ready? damage repaired-intents]} (:value %)]
                                        (and ready? (or (empty? damage) (pos? (or repaired-intents 0)))))
                                     (of-f :corrupt-intent-wal))
            file-problems (remove #(get-in % [:value :ready?]) (of-f :corrupt-file))
            member-problems (remove #(every? (fn [a] (and (:added? a) (:ready? a))) (:value %))
                                    (of-f :add-member))
            crashes (duet-db/unexpected-exits (:db test))]
        {:valid? (and (empty? crashes) (empty? heal-problems) (empty? storage-problems) (empty? member-problems)
                      (empty? file-problems)
                      ;; a test whose final heal never ran has not shown that the cluster recovers
                      (boolean (seq (of-f :heal))))
         :crashes crashes
         :heals (count (of-f :heal))
         :heal-problems (mapv :value heal-problems)
         :intent-wal-faults (mapv #(select-keys (:value %) [:node :mode :ready? :repaired-intents]) (of-f :corrupt-intent-wal))
         :storage-problems (mapv :value storage-problems)
         :file-faults (mapv #(select-keys (:value %) [:node :kind :mode :ready? :damage]) (of-f :corrupt-file))
         :file-problems (mapv :value file-problems)
         :membership-problems (mapv :value member-problems)}))))
