(ns duet.jepsen.generator
  "Pure generators in the shape of Jepsen's (jepsen.generator): `op` asks a generator for its
  next operation, `update` tells it what happened. Written for this project; no upstream code.

  (op gen test ctx) returns nil when the generator is exhausted, [:pending gen'] when it has
  nothing to emit now, or [op gen'] with op a map holding :type, :process, :time, :f, :value.
  An op whose :time is in the future is not due yet: the interpreter waits and asks again.
  The context: {:time nanos-since-start, :free-threads #{thread}, :workers {thread process},
  :concurrency n, :rng java.util.Random}. Threads are 0..n-1 for clients and :nemesis.

  Built in: nil (nothing), a map (emits itself once, on a free thread), a function (called with
  [test ctx] for a generator, again and again until it returns nil), a sequence (each in turn).
  Combinators: limit, once, time-limit, stagger, mix, any, on-threads (clients, nemesis), each-thread,
  synchronize, phases, cycle, until-ok. :sleep and :log ops are run by workers, never recorded."
  (:refer-clojure :exclude [update cycle])
  (:import (java.util Random)))

(defprotocol Generator
  (op [gen test ctx] "nil, [:pending gen'] or [op gen'].")
  (update [gen test ctx event] "The generator after an invocation or completion it emitted."))

;; ---------------------------------------------------------------------------------------------
;; Context helpers

(defn rand-int*
  "A random int in [0, n) from the test's seeded generator."
  [ctx n]
  (.nextInt ^Random (:rng ctx) (int n)))

(defn rand-double* [ctx] (.nextDouble ^Random (:rng ctx)))

(defn rand-nth* [ctx coll] (nth coll (rand-int* ctx (count coll))))

(defn process->thread
  "Client processes of thread t are t, t+n, t+2n... (a process is retired after :info)."
  [ctx process]
  (if (integer? process) (mod process (:concurrency ctx)) process))

(defn restrict
  "The context as seen by a generator limited to the threads `pred` accepts."
  [ctx pred]
  (assoc ctx
         :free-threads (into #{} (filter pred) (:free-threads ctx))
         :workers (into {} (filter (comp pred key)) (:workers ctx))))

(defn- fill-in
  "The op on a random free thread's process, or nil when every thread is busy."
  [op ctx]
  (when-let [free (seq (sort-by str (:free-threads ctx)))]
    (let [thread (rand-nth* ctx (vec free))]
      (cond-> (assoc op :process (get-in ctx [:workers thread]))
        (nil? (:type op)) (assoc :type :invoke)
        (nil? (:time op)) (assoc :time (:time ctx))))))

(defn- pending? [result] (= :pending (first result)))

(defn- soonest
  "Of [key [op gen']] results, the one whose op is due first; nil when none has an op."
  [keyed-results]
  (first (sort-by (fn [[_ [o]]] (:time o))
                  (filter (fn [[_ r]] (and r (not (pending? r)))) keyed-results))))

;; ---------------------------------------------------------------------------------------------
;; Built-in generators

(extend-protocol Generator
  nil
  (op [_ _ _] nil)
  (update [_ _ _ _] nil)

  clojure.lang.APersistentMap
  (op [m _ ctx] (if-let [o (fill-in m ctx)] [o nil] [:pending m]))
  (update [m _ _ _] m)

  clojure.lang.AFunction
  (op [f test ctx] (when-let [g (f test ctx)] (op [g f] test ctx)))
  (update [f _ _ _] f)

  clojure.lang.Sequential
  (op [s test ctx]
    (loop [s (seq s)]
      (when s
        (if-let [[o g'] (op (first s) test ctx)]
          [o (cons g' (next s))]
          (recur (next s))))))
  (update [s test ctx event]
    (when-let [s (seq s)]
      (cons (update (first s) test ctx event) (next s)))))

;; ---------------------------------------------------------------------------------------------
;; Combinators

(defrecord Limit [remaining gen]
  Generator
  (op [_ test ctx]
    (when (pos? remaining)
      (when-let [[o g'] (op gen test ctx)]
        [o (->Limit (if (= :pending o) remaining (dec remaining)) g')])))
  (update [_ test ctx event] (->Limit remaining (update gen test ctx event))))

(defn limit "At most n ops of gen." [n gen] (->Limit n gen))

(defn once "One op of gen (a function generator, for instance, emits forever)." [gen] (->Limit 1 gen))

(defrecord TimeLimit [limit-nanos cutoff gen]
  Generator
  (op [_ test ctx]
    (let [cutoff (or cutoff (+ (:time ctx) limit-nanos))]
      (when (< (:time ctx) cutoff)
        (when-let [[o g'] (op gen test ctx)]
          (cond (= :pending o) [o (->TimeLimit limit-nanos cutoff g')]
                (< (:time o) cutoff) [o (->TimeLimit limit-nanos cutoff g')])))))
  (update [_ test ctx event] (->TimeLimit limit-nanos cutoff (update gen test ctx event))))

(defn time-limit
  "Ops of gen until `seconds` have passed since its first op was asked for."
  [seconds gen]
  (->TimeLimit (long (* seconds 1e9)) nil gen))

(defrecord Stagger [dt-nanos next-time gen]
  Generator
  (op [_ test ctx]
    (when-let [[o g'] (op gen test ctx)]
      (if (= :pending o)
        [o (->Stagger dt-nanos next-time g')]
        (let [t (max (:time o) (or next-time (:time ctx)))]
          [(assoc o :time t)
           (->Stagger dt-nanos (+ t (long (* 2 dt-nanos (rand-double* ctx)))) g')]))))
  (update [_ test ctx event] (->Stagger dt-nanos next-time (update gen test ctx event))))

(defn stagger
  "Spaces gen's ops by a random 0..2*`seconds` (on average one per `seconds`, over all threads)."
  [seconds gen]
  (->Stagger (long (* seconds 1e9)) nil gen))

(defrecord Mix [gens]
  Generator
  (op [_ test ctx]
    (when (seq gens)
      (let [i (rand-int* ctx (count gens))]
        (if-let [[o g'] (op (nth gens i) test ctx)]
          [o (->Mix (assoc gens i g'))]
          (op (->Mix (into (subvec gens 0 i) (subvec gens (inc i)))) test ctx)))))
  (update [_ test ctx event] (->Mix (mapv #(update % test ctx event) gens))))

(defn mix "Each op from one of gens chosen at random." [gens] (->Mix (vec gens)))

(defrecord Any [gens]
  Generator
  (op [_ test ctx]
    (let [results (mapv #(op % test ctx) gens)
          ;; continuations: a pending generator keeps its new state, one not chosen its old one
          kept (vec (keep (fn [[g r]] (cond (nil? r) nil (pending? r) (second r) :else g))
                          (map vector gens results)))
          live (vec (keep-indexed (fn [i r] (when r [i r])) results))]
      (when (seq live)
        (if-let [[i [o g']] (soonest live)]
          [o (->Any (vec (keep (fn [[j g r]] (cond (= i j) g' (nil? r) nil (pending? r) (second r) :else g))
                               (map vector (range) gens results))))]
          [:pending (->Any kept)]))))
  (update [_ test ctx event] (->Any (mapv #(update % test ctx event) gens))))

(defn any "Whichever of gens has an op due first." [& gens] (->Any (vec gens)))

(defrecord OnThreads [pred gen]
  Generator
  (op [_ test ctx]
    (when-let [[o g'] (op gen test (restrict ctx pred))]
      [o (->OnThreads pred g')]))
  (update [this test ctx event]
    (if (pred (process->thread ctx (:process event)))
      (->OnThreads pred (update gen test (restrict ctx pred) event))
      this)))

(defn on-threads "gen, on the threads pred accepts only." [pred gen] (->OnThreads pred gen))

(defn clients
  "gen on the client threads only; with two generators, Jepsen's (nemesis n (clients c))."
  [gen]
  (on-threads integer? gen))

(defn nemesis
  "gen on the nemesis thread only; (nemesis n c) also runs c on the clients, together."
  ([gen] (on-threads #{:nemesis} gen))
  ([nemesis-gen client-gen] (any (nemesis nemesis-gen) (clients client-gen))))

(defrecord EachThread [fresh gens]
  Generator
  (op [_ test ctx]
    (let [threads (keys (:workers ctx))
          state (reduce (fn [m t] (if (contains? m t) m (assoc m t fresh))) gens threads)
          results (for [t threads
                        :when (and (contains? (:free-threads ctx) t) (not= ::done (state t)))]
                    [t (op (state t) test (restrict ctx #{t}))])
          state (reduce (fn [m [t r]] (cond (nil? r) (assoc m t ::done)
                                            (pending? r) (assoc m t (second r))
                                            :else m))
                        state results)]
      (if-let [[t [o g']] (soonest results)]
        [o (->EachThread fresh (assoc state t g'))]
        (when-not (every? #(= ::done (state %)) threads)
          [:pending (->EachThread fresh state)]))))
  (update [this test ctx event]
    (let [t (process->thread ctx (:process event))
          g (get gens t)]
      (if (and (some? g) (not= ::done g))
        (->EachThread fresh (assoc gens t (update g test (restrict ctx #{t}) event)))
        this))))

(defn each-thread "A copy of gen for each thread." [gen] (->EachThread gen {}))

(defrecord Synchronize [gen]
  Generator
  (op [this test ctx]
    (if (= (count (:free-threads ctx)) (count (:workers ctx)))
      (op gen test ctx)
      [:pending this]))
  (update [_ test ctx event] (->Synchronize (update gen test ctx event))))

(defn synchronize "gen, once every thread is idle." [gen] (->Synchronize gen))

(defn phases "Each gen in turn, each starting when all threads are idle." [& gens] (map synchronize gens))

(defrecord Cycle [original current]
  Generator
  (op [_ test ctx]
    (if-let [[o g'] (op current test ctx)]
      [o (->Cycle original g')]
      (when-let [[o g'] (op original test ctx)]
        [o (->Cycle original g')])))
  (update [_ test ctx event] (->Cycle original (update current test ctx event))))

(defn cycle
  "gen over and over (put a limit or time-limit around it: on its own it never ends)."
  [gen]
  (->Cycle gen gen))

(defrecord UntilOk [gen done? in-flight]
  Generator
  (op [_ test ctx]
    (when-not done?
      (when-let [[o g'] (op gen test ctx)]
        [o (->UntilOk g' false (if (= :pending o) in-flight (conj in-flight (:process o))))])))
  (update [this test ctx event]
    (if (contains? in-flight (:process event))
      (let [g (update gen test ctx event)]
        (case (:type event)
          :ok (->UntilOk g true #{})
          (:fail :info) (->UntilOk g false (disj in-flight (:process event)))
          (->UntilOk g false in-flight)))
      this)))

(defn until-ok "gen's ops until one completes :ok." [gen] (->UntilOk gen false #{}))

(defn sleep "An op that makes its thread wait `seconds` (schedules only: not recorded)." [seconds]
  {:type :sleep :value seconds})

(defn log "An op that logs a message (not recorded)." [message] {:type :log :value message})
