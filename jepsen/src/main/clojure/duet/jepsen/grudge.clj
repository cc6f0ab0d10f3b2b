(ns duet.jepsen.grudge
  "Partition shapes as grudges, Jepsen's representation: {node #{nodes it drops packets from}}.
  Pure functions; duet.jepsen.net applies a grudge with iptables. Grudges here are symmetric."
  (:require [clojure.set :as set])
  (:import (java.util ArrayList Collections Random)))

(defn shuffle*
  "coll shuffled with a seeded Random (clojure.core/shuffle cannot take one)."
  [^Random rng coll]
  (let [l (ArrayList. ^java.util.Collection (vec coll))]
    (Collections/shuffle l rng)
    (vec l)))

(defn complete-grudge
  "Nodes in different components cannot talk; nodes in one component can."
  [components]
  (let [components (map set components)
        everyone (apply set/union components)]
    (into (sorted-map)
          (for [c components, node c]
            [node (into (sorted-set) (remove c everyone))]))))

(defn bisect
  "Two halves; the first is the smaller one for an odd count."
  [nodes]
  (split-at (quot (count nodes) 2) nodes))

(defn random-halves [rng nodes] (complete-grudge (bisect (shuffle* rng nodes))))

(defn isolate
  "One node alone, the rest together."
  [nodes node]
  (complete-grudge [[node] (remove #{node} nodes)]))

(defn bridge
  "Two halves that cannot talk but one node that talks to both (it alone can form a majority
  with either side)."
  [rng nodes]
  (let [nodes (shuffle* rng nodes)
        k (quot (count nodes) 2)
        middle (nth nodes k)
        left (take k nodes)
        right (drop (inc k) nodes)]
    (merge (complete-grudge [left right])
           {middle (sorted-set)})))

(defn majorities-ring
  "Every node sees a majority (itself and its nearest neighbours on a random ring), but no two
  nodes see the same majority: each could elect a leader of its own view."
  [rng nodes]
  (let [ring (shuffle* rng nodes)
        n (count ring)
        majority (inc (quot n 2))
        reach (quot majority 2) ; neighbours on each side
        distance (fn [i j] (let [d (Math/abs (long (- i j)))] (min d (- n d))))]
    (into (sorted-map)
          (for [i (range n)]
            [(nth ring i) (into (sorted-set)
                                (for [j (range n) :when (> (distance i j) reach)] (nth ring j)))]))))

(defn visible
  "Who `node` can talk to under the grudge, itself included."
  [grudge nodes node]
  (set (remove (get grudge node #{}) nodes)))

(defn symmetric?
  [grudge]
  (every? (fn [[a dropped]] (every? #(contains? (get grudge % #{}) a) dropped)) grudge))
