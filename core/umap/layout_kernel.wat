;; The inner loop of UMAP's optimiser (core/umap/optimize_layout.ts), one
;; epoch over a range of edges, in WebAssembly. The caller lays out every
;; array in the imported memory and passes byte offsets; see
;; core/umap/layout_kernel.ts, which also describes the arrays. Rebuild the
;; embedded binary with `deno task build:wasm` after editing this file.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; x^b for finite x > 0, as 2^(b log2 x). The logarithm splits x into
  ;; 2^e m with m in [sqrt(1/2), sqrt(2)) and sums the odd series of
  ;; atanh((m - 1) / (m + 1)); the power of two splits b log2 x into an
  ;; integer and a rest in [-1/2, 1/2] and sums e^z to z^7. Both parts have
  ;; a relative error below 1e-8, which is deterministic, unlike Math.pow's
  ;; results across engines.
  (func $pow (param $x f64) (param $b f64) (result f64)
    (local $bits i64) (local $e f64) (local $m f64) (local $t f64)
    (local $t2 f64) (local $y f64) (local $k f64) (local $z f64) (local $p f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $e
      (f64.convert_i64_s
        (i64.sub
          (i64.shr_u (local.get $bits) (i64.const 52))
          (i64.const 1023))))
    (local.set $m
      (f64.reinterpret_i64
        (i64.or
          (i64.and (local.get $bits) (i64.const 0x000fffffffffffff))
          (i64.const 0x3ff0000000000000))))
    (if (f64.gt (local.get $m) (f64.const 1.4142135623730951))
      (then
        (local.set $m (f64.mul (local.get $m) (f64.const 0.5)))
        (local.set $e (f64.add (local.get $e) (f64.const 1)))))
    (local.set $t
      (f64.div
        (f64.sub (local.get $m) (f64.const 1))
        (f64.add (local.get $m) (f64.const 1))))
    (local.set $t2 (f64.mul (local.get $t) (local.get $t)))
    ;; y = b log2 x, with log2 m = (2 / ln 2)(t + t^3/3 + ... + t^9/9)
    (local.set $y
      (f64.mul
        (local.get $b)
        (f64.add
          (local.get $e)
          (f64.mul
            (local.get $t)
            (f64.add (f64.const 2.885390081777927)
              (f64.mul (local.get $t2)
                (f64.add (f64.const 0.9617966939259756)
                  (f64.mul (local.get $t2)
                    (f64.add (f64.const 0.5770780163555854)
                      (f64.mul (local.get $t2)
                        (f64.add (f64.const 0.41219858311113244)
                          (f64.mul (local.get $t2)
                            (f64.const 0.3205988979753252)))))))))))))
    ;; Below 2^-1022 the result is zero to the precision that matters here.
    (if (f64.lt (local.get $y) (f64.const -1022))
      (then (return (f64.const 0))))
    (local.set $k (f64.nearest (local.get $y)))
    (local.set $z
      (f64.mul
        (f64.sub (local.get $y) (local.get $k))
        (f64.const 0.6931471805599453)))
    ;; e^z by Horner's rule, then scaled by 2^k through the exponent bits.
    (local.set $p (f64.const 0.0001984126984126984))
    (local.set $p (f64.add (f64.const 0.001388888888888889)
      (f64.mul (local.get $z) (local.get $p))))
    (local.set $p (f64.add (f64.const 0.008333333333333333)
      (f64.mul (local.get $z) (local.get $p))))
    (local.set $p (f64.add (f64.const 0.041666666666666664)
      (f64.mul (local.get $z) (local.get $p))))
    (local.set $p (f64.add (f64.const 0.16666666666666666)
      (f64.mul (local.get $z) (local.get $p))))
    (local.set $p (f64.add (f64.const 0.5)
      (f64.mul (local.get $z) (local.get $p))))
    (local.set $p (f64.add (f64.const 1)
      (f64.mul (local.get $z) (local.get $p))))
    (local.set $p (f64.add (f64.const 1)
      (f64.mul (local.get $z) (local.get $p))))
    (f64.mul (local.get $p)
      (f64.reinterpret_i64
        (i64.shl
          (i64.add (i64.trunc_f64_s (local.get $k)) (i64.const 1023))
          (i64.const 52)))))

;; f(x) for x > 0 from the table at `table`, which lists f at 64 evenly
  ;; spaced points of each octave from 2^-64 to 2^64 (8,193 float64 values),
  ;; interpolated linearly within the octave's 1/64. For f = x^c the
  ;; relative error stays below |c (c - 1)| / 32768. Returns NaN outside the
  ;; table, where the caller computes f itself.
  (func $interpolate (param $x f64) (param $table i32) (result f64)
    (local $bits i64) (local $i i32) (local $at i32) (local $low f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    ;; The exponent and the top 6 bits of the mantissa, from 2^-64 on.
    (local.set $i
      (i32.wrap_i64
        (i64.sub
          (i64.shr_u (local.get $bits) (i64.const 46))
          (i64.const 61376))))
    (if (i32.ge_u (local.get $i) (i32.const 8192))
      (then (return (f64.const nan))))
    (local.set $at
      (i32.add (local.get $table) (i32.shl (local.get $i) (i32.const 3))))
    (local.set $low (f64.load (local.get $at)))
    (f64.add (local.get $low)
      (f64.mul
        ;; The other 46 bits of the mantissa, as a fraction of the step.
        (f64.mul
          (f64.convert_i64_s
            (i64.and (local.get $bits) (i64.const 0x3fffffffffff)))
          (f64.const 1.4210854715202004e-14))
        (f64.sub (f64.load offset=8 (local.get $at)) (local.get $low)))))

  ;; Limits one gradient component to [-4, 4].
  ;; Comparisons rather than f64.min and f64.max, whose NaN and signed-zero
  ;; rules make them slower; a NaN passes through either way.
  (func $clip (param $v f64) (result f64)
    (select (f64.const 4)
      (select (f64.const -4) (local.get $v)
        (f64.lt (local.get $v) (f64.const -4)))
      (f64.gt (local.get $v) (f64.const 4))))

;; $pow and $interpolate for JavaScript, so tests can check them.
  (func (export "pow") (param $x f64) (param $b f64) (result f64)
    (call $pow (local.get $x) (local.get $b)))
  (func (export "interpolate") (param $x f64) (param $table i32) (result f64)
    (call $interpolate (local.get $x) (local.get $table)))

  ;; One epoch over the edges [firstEdge, endEdge). Rows [firstRow, endRow)
  ;; are this call's own: it moves them in `layout` and reads the other rows
  ;; from `others`, collecting its pulls on them in `pulls`. The SplitMix32
  ;; state of the negative samples is the i32 at `random`. `tables` holds
  ;; the attraction's table, then the repulsion's (see $interpolate).
  (func (export "runEpoch")
    (param $heads i32) (param $tails i32) (param $period i32)
    (param $nextSample i32) (param $nextNegative i32)
    (param $firstEdge i32) (param $endEdge i32)
    (param $layout i32) (param $others i32) (param $pulls i32)
    (param $firstRow i32) (param $endRow i32) (param $n i32)
    (param $epoch f64) (param $alpha f64) (param $a f64) (param $b f64)
    (param $attraction f64) (param $repulsion f64)
    (param $negativeRate f64) (param $random i32) (param $tables i32)
    (local $e i32) (local $j i32) (local $k i32) (local $other i32)
    (local $ownRows i32) (local $tailOwn i32) (local $headAt i32) (local $tailAt i32)
    (local $at i32) (local $state i32) (local $z i32)
    (local $negatives i32) (local $p i32)
    (local $dx f64) (local $dy f64) (local $distSq f64) (local $power f64)
    (local $coefficient f64) (local $gx f64) (local $gy f64)
    (local $headX f64) (local $headY f64)
    (local $negativePeriod f64) (local $count f64)
    (local $bits i64) (local $index i32) (local $slot i32) (local $low f64)
    (local $step f64)
    (local.set $state (i32.load (local.get $random)))
    (local.set $ownRows (i32.sub (local.get $endRow) (local.get $firstRow)))
    (local.set $e (local.get $firstEdge))
    (block $done
      (loop $edges
        (br_if $done (i32.ge_u (local.get $e) (local.get $endEdge)))
        (block $next
          (br_if $next
            (f64.gt
              (f64.load (i32.add (local.get $nextSample)
                (i32.shl (local.get $e) (i32.const 3))))
              (local.get $epoch)))
          (local.set $j (i32.load (i32.add (local.get $heads)
            (i32.shl (local.get $e) (i32.const 2)))))
          (local.set $k (i32.load (i32.add (local.get $tails)
            (i32.shl (local.get $e) (i32.const 2)))))
          (local.set $tailOwn
            (i32.lt_u (i32.sub (local.get $k) (local.get $firstRow))
              (local.get $ownRows)))
          (local.set $headAt (i32.add (local.get $layout)
            (i32.shl (local.get $j) (i32.const 3))))
          (local.set $tailAt
            (i32.add
              (select (local.get $layout) (local.get $others)
                (local.get $tailOwn))
              (i32.shl (local.get $k) (i32.const 3))))

          ;; Attraction along the edge.
          (local.set $dx (f64.sub
            (f64.promote_f32 (f32.load (local.get $headAt)))
            (f64.promote_f32 (f32.load (local.get $tailAt)))))
          (local.set $dy (f64.sub
            (f64.promote_f32 (f32.load offset=4 (local.get $headAt)))
            (f64.promote_f32 (f32.load offset=4 (local.get $tailAt)))))
          (local.set $distSq (f64.add
            (f64.mul (local.get $dx) (local.get $dx))
            (f64.mul (local.get $dy) (local.get $dy))))
          (if (f64.gt (local.get $distSq) (f64.const 0))
            (then
              ;; d^(2(b - 1)) / (a d^(2b) + 1), from the first table.
              (local.set $coefficient
                (call $interpolate (local.get $distSq) (local.get $tables)))
              (if (f64.ne (local.get $coefficient) (local.get $coefficient))
                (then
                  (local.set $power
                    (call $pow (local.get $distSq) (local.get $b)))
                  (local.set $coefficient
                    (f64.div (local.get $power)
                      (f64.mul (local.get $distSq)
                        (f64.add
                          (f64.mul (local.get $a) (local.get $power))
                          (f64.const 1)))))))
              (local.set $coefficient
                (f64.mul (local.get $attraction) (local.get $coefficient)))
              (local.set $gx (f64.mul
                (call $clip (f64.mul (local.get $coefficient) (local.get $dx)))
                (local.get $alpha)))
              (local.set $gy (f64.mul
                (call $clip (f64.mul (local.get $coefficient) (local.get $dy)))
                (local.get $alpha)))
              (f32.store (local.get $headAt) (f32.demote_f64 (f64.add
                (f64.promote_f32 (f32.load (local.get $headAt)))
                (local.get $gx))))
              (f32.store offset=4 (local.get $headAt) (f32.demote_f64 (f64.add
                (f64.promote_f32 (f32.load offset=4 (local.get $headAt)))
                (local.get $gy))))
              (if (local.get $tailOwn)
                (then
                  (f32.store (local.get $tailAt) (f32.demote_f64 (f64.sub
                    (f64.promote_f32 (f32.load (local.get $tailAt)))
                    (local.get $gx))))
                  (f32.store offset=4 (local.get $tailAt) (f32.demote_f64
                    (f64.sub
                      (f64.promote_f32 (f32.load offset=4 (local.get $tailAt)))
                      (local.get $gy)))))
                (else
                  (local.set $at (i32.add (local.get $pulls)
                    (i32.shl (local.get $k) (i32.const 4))))
                  (f64.store (local.get $at)
                    (f64.sub (f64.load (local.get $at)) (local.get $gx)))
                  (f64.store offset=8 (local.get $at)
                    (f64.sub (f64.load offset=8 (local.get $at))
                      (local.get $gy)))))))
          (local.set $at (i32.add (local.get $nextSample)
            (i32.shl (local.get $e) (i32.const 3))))
          (f64.store (local.get $at)
            (f64.add (f64.load (local.get $at))
              (f64.load (i32.add (local.get $period)
                (i32.shl (local.get $e) (i32.const 3))))))

          ;; Repulsion from rows drawn at random, all from the head's position
          ;; after the attraction. Their pushes add up in gx, gy, so the
          ;; samples do not wait on each other.
          (local.set $negativePeriod
            (f64.div
              (f64.load (i32.add (local.get $period)
                (i32.shl (local.get $e) (i32.const 3))))
              (local.get $negativeRate)))
          (local.set $at (i32.add (local.get $nextNegative)
            (i32.shl (local.get $e) (i32.const 3))))
          (local.set $count
            (f64.floor (f64.div
              (f64.sub (local.get $epoch) (f64.load (local.get $at)))
              (local.get $negativePeriod))))
          (f64.store (local.get $at)
            (f64.add (f64.load (local.get $at))
              (f64.mul (local.get $count) (local.get $negativePeriod))))
          (br_if $next (f64.le (local.get $count) (f64.const 0)))
          (local.set $negatives (i32.trunc_sat_f64_s (local.get $count)))
          (local.set $headX (f64.promote_f32 (f32.load (local.get $headAt))))
          (local.set $headY
            (f64.promote_f32 (f32.load offset=4 (local.get $headAt))))
          (local.set $gx (f64.const 0))
          (local.set $gy (f64.const 0))
          (local.set $p (i32.const 0))
          (loop $samples
            ;; SplitMix32, as core/random.ts computes it.
            (local.set $state
              (i32.add (local.get $state) (i32.const 0x9e3779b9)))
            (local.set $z (local.get $state))
            (local.set $z (i32.mul
              (i32.xor (local.get $z) (i32.shr_u (local.get $z) (i32.const 16)))
              (i32.const 0x85ebca6b)))
            (local.set $z (i32.mul
              (i32.xor (local.get $z) (i32.shr_u (local.get $z) (i32.const 13)))
              (i32.const 0xc2b2ae35)))
            (local.set $z
              (i32.xor (local.get $z) (i32.shr_u (local.get $z) (i32.const 16))))
            ;; floor(z n / 2^32), exactly.
            (local.set $other
              (i32.wrap_i64 (i64.shr_u
                (i64.mul
                  (i64.extend_i32_u (local.get $z))
                  (i64.extend_i32_u (local.get $n)))
                (i64.const 32))))
            (block $skip
              (br_if $skip (i32.eq (local.get $other) (local.get $j)))
              (local.set $at
                (i32.add
                  (select (local.get $layout) (local.get $others)
                    (i32.lt_u (i32.sub (local.get $other) (local.get $firstRow))
                      (local.get $ownRows)))
                  (i32.shl (local.get $other) (i32.const 3))))
              (local.set $dx (f64.sub (local.get $headX)
                (f64.promote_f32 (f32.load (local.get $at)))))
              (local.set $dy (f64.sub (local.get $headY)
                (f64.promote_f32 (f32.load offset=4 (local.get $at)))))
              (local.set $distSq (f64.add
                (f64.mul (local.get $dx) (local.get $dx))
                (f64.mul (local.get $dy) (local.get $dy))))
              (br_if $skip (f64.le (local.get $distSq) (f64.const 0)))
              ;; 1 / ((0.001 + d^2)(a d^(2b) + 1)) from the second table, with
              ;; $interpolate and $clip inlined by hand: V8 left them as calls.
              (local.set $bits (i64.reinterpret_f64 (local.get $distSq)))
              (local.set $index
                (i32.wrap_i64
                  (i64.sub
                    (i64.shr_u (local.get $bits) (i64.const 46))
                    (i64.const 61376))))
              (if (i32.lt_u (local.get $index) (i32.const 8192))
                (then
                  (local.set $slot (i32.add (local.get $tables)
                    (i32.shl (local.get $index) (i32.const 3))))
                  (local.set $low (f64.load offset=65544 (local.get $slot)))
                  (local.set $coefficient (f64.add (local.get $low)
                    (f64.mul
                      (f64.mul
                        (f64.convert_i64_s
                          (i64.and (local.get $bits) (i64.const 0x3fffffffffff)))
                        (f64.const 1.4210854715202004e-14))
                      (f64.sub (f64.load offset=65552 (local.get $slot))
                        (local.get $low))))))
                (else
                  (local.set $coefficient
                    (f64.div (f64.const 1)
                      (f64.mul
                        (f64.add (f64.const 0.001) (local.get $distSq))
                        (f64.add
                          (f64.mul (local.get $a)
                            (call $pow (local.get $distSq) (local.get $b)))
                          (f64.const 1)))))))
              (local.set $coefficient
                (f64.mul (local.get $repulsion) (local.get $coefficient)))
              (local.set $step (f64.mul (local.get $coefficient) (local.get $dx)))
              (local.set $gx (f64.add (local.get $gx)
                (select (f64.const 4)
                  (select (f64.const -4) (local.get $step)
                    (f64.lt (local.get $step) (f64.const -4)))
                  (f64.gt (local.get $step) (f64.const 4)))))
              (local.set $step (f64.mul (local.get $coefficient) (local.get $dy)))
              (local.set $gy (f64.add (local.get $gy)
                (select (f64.const 4)
                  (select (f64.const -4) (local.get $step)
                    (f64.lt (local.get $step) (f64.const -4)))
                  (f64.gt (local.get $step) (f64.const 4))))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $samples (i32.lt_s (local.get $p) (local.get $negatives))))
          (f32.store (local.get $headAt) (f32.demote_f64 (f64.add
            (local.get $headX) (f64.mul (local.get $gx) (local.get $alpha)))))
          (f32.store offset=4 (local.get $headAt) (f32.demote_f64 (f64.add
            (local.get $headY) (f64.mul (local.get $gy) (local.get $alpha))))))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $edges)))
    (i32.store (local.get $random) (local.get $state))))
