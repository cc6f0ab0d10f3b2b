(ns duet.jepsen.file-damage
  "Damage to any file a stopped member keeps, for the protocol-aware recovery (PAR) matrix
  (docs/recovery.md#the-par-matrix): {bit flip, zeroed 4 KiB block, truncation, deletion} x
  {intent log, completion log, Raft log, Raft metadata, snapshot}. The file is picked at random
  among that kind's files, newest first weighted (the newest holds what was just acknowledged)."
  (:require [clojure.java.io :as io])
  (:import (java.io File RandomAccessFile)
           (java.util Random)))

(def kinds [:intent :completion :raft-log :raft-meta :snapshot])
(def modes [:bitflip :zero-4k :truncate :delete])

(def ^:private block-bytes 4096)

(defn- files-in [^File dir pred]
  (->> (or (.listFiles dir) (make-array File 0))
       (filter #(and (.isFile ^File %) (pred (.getName ^File %))))
       (sort-by #(.getName ^File %))))

(defn- raft-current ^File [^File data-dir]
  (let [groups (filter #(.isDirectory ^File %) (or (.listFiles (io/file data-dir "raft")) []))]
    (when (seq groups) (io/file (first groups) "current"))))

(defn files
  "The files of one kind under a member's data directory, oldest first."
  [^File data-dir kind]
  (case kind
    :intent (files-in (io/file data-dir "intent") #(re-matches #".*\.wal" %))
    :completion (files-in (io/file data-dir "completion") #(re-matches #".*\.wal" %))
    :raft-log (if-let [c (raft-current data-dir)] (files-in c #(.startsWith ^String % "log_")) [])
    :raft-meta (if-let [c (raft-current data-dir)] (files-in c #(= "raft-meta" %)) [])
    :snapshot (files-in (io/file data-dir "snapshot") #(.startsWith ^String % "checkpoint-"))))

(defn- pick-file
  "The newest file half the time, otherwise any."
  [fs ^Random rng]
  (when (seq fs)
    (if (.nextBoolean rng) (last fs) (nth fs (.nextInt rng (count fs))))))

(defn data-end
  "The length of a file without its trailing zeros: Ratis preallocates its open segment with
  zeros, and damage there would miss every entry."
  [^RandomAccessFile raf]
  (let [chunk (byte-array 65536)]
    (loop [end (.length raf)]
      (if (<= end 0)
        0
        (let [from (max 0 (- end (alength chunk)))
              n (int (- end from))]
          (.seek raf from)
          (.readFully raf chunk 0 n)
          (if-let [i (first (filter #(not (zero? (aget chunk (int %)))) (range (dec n) -1 -1)))]
            (+ from i 1)
            (recur from)))))))

(defn- flip-bits!
  "Flips one bit at each of three offsets in the second half of the file's data (past any header)."
  [^File f ^Random rng]
  (with-open [raf (RandomAccessFile. f "rw")]
    (let [len (data-end raf)]
      (vec (for [_ (range 3) :when (pos? len)]
             (let [at (+ (quot len 2) (long (.nextInt rng (int (max 1 (quot len 2))))))
                   at (min at (dec len))]
               (.seek raf at)
               (let [b (.read raf)]
                 (.seek raf at)
                 (.write raf (int (bit-xor b (bit-shift-left 1 (.nextInt rng 8))))))
               at))))))

(defn- zero-block!
  "Zeroes a 4 KiB-aligned block within the file's data (all of it when it is smaller)."
  [^File f ^Random rng]
  (with-open [raf (RandomAccessFile. f "rw")]
    (let [len (data-end raf)
          blocks (quot len block-bytes)
          at (if (pos? blocks) (* block-bytes (long (.nextInt rng (int blocks)))) 0)
          n (min block-bytes (- len at))]
      (.seek raf at)
      (.write raf (byte-array n))
      at)))

(defn- truncate!
  "Cuts the file at a random point in the second half of its data."
  [^File f ^Random rng]
  (with-open [raf (RandomAccessFile. f "rw")]
    (let [len (data-end raf)
          at (if (> len 1) (+ (quot len 2) (long (.nextInt rng (int (max 1 (quot len 2)))))) 0)]
      (.setLength raf at)
      at)))

(defn damage!
  "Damages one file of `kind` under `data-dir` (the member must be stopped). Returns what was
  done ({:kind :mode :file :offset}), or nil when the member has no such file yet."
  [^File data-dir kind mode ^Random rng]
  (when-let [^File f (pick-file (files data-dir kind) rng)]
    (let [offset (case mode
                   :bitflip (flip-bits! f rng)
                   :zero-4k (zero-block! f rng)
                   :truncate (truncate! f rng)
                   :delete (do (io/delete-file f) nil))]
      {:kind kind :mode mode :file (.getPath f) :offset offset})))
