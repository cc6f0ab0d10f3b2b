(ns duet.jepsen.wal-damage
  "Damage to a stopped node's intent WAL (docs/storage-format.md): bits flipped inside record
  bodies, or a segment cut short in the middle of a record. Records are located with the storage
  module's own scanner, so the damage lands on real records. On restart the node must notice
  and fetch those intents from a replica (docs/recovery.md, 'Repair from replicas')."
  (:require [duet.jepsen.grudge :as grudge])
  (:import (io.duetdb.storage.wal WalKind WalScanner WalScanner$Visitor)
           (java.io File RandomAccessFile)
           (java.util Random)))

(def ^:private record-header-bytes 32)
(def ^:private max-body-bytes (* 64 1024 1024))
(def ^:private bitflip-record-count 8)

(defn records
  "The valid records of an intent log directory: [{:file :offset :length :index}] in log order."
  [^File dir]
  (let [found (transient [])]
    (WalScanner/scan (.toPath dir) WalKind/INTENT (int max-body-bytes)
                     (reify WalScanner$Visitor
                       (record [_ file offset _type _flags _term index _body length]
                         (conj! found {:file (str file) :offset offset :length length :index index}))))
    (persistent! found)))

(defn flip-bit!
  "Flips one bit in the middle of a record's body (its header stays valid, its CRC does not)."
  [{:keys [file offset length]}]
  (let [at (+ offset record-header-bytes (quot (- length record-header-bytes) 2))]
    (with-open [f (RandomAccessFile. ^String file "rw")]
      (.seek f (long at))
      (let [b (.read f)]
        (.seek f (long at))
        (.write f (int (bit-xor b 0x10)))))
    at))

(defn truncate!
  "Cuts a segment file 10 bytes into a record: that record and the ones after it in the file
  are gone, and the file is shorter than its header says."
  [{:keys [file offset]}]
  (let [cut (+ offset 10)]
    (with-open [f (RandomAccessFile. ^String file "rw")]
      (.setLength f (long cut)))
    cut))

(defn damage!
  "Damages the intent log under `data-dir` (the node must be stopped). mode :bitflip flips a bit
  in a few random records; :truncate cuts a random segment inside a random record. Returns what
  was done (file, offset, index), empty when the log has too few records to damage."
  [^File data-dir mode ^Random rng]
  (let [rs (records (File. data-dir "intent"))]
    (if (< (count rs) 4)
      []
      (case mode
        :bitflip (vec (for [r (sort-by :index (take bitflip-record-count (grudge/shuffle* rng rs)))]
                        {:mode :bitflip :file (:file r) :offset (flip-bit! r) :index (:index r)}))
        :truncate (let [r (nth rs (+ 2 (.nextInt rng (- (count rs) 2))))]
                    [{:mode :truncate :file (:file r) :cut-at (truncate! r) :index (:index r)}])))))
