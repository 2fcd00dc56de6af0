#!/usr/bin/env bash
# Command-line tests of quench-oracle, one case per CTest test:
#   cli_tests.sh CASE ORACLE_BINARY SOURCE_DIR WORK_DIR
# Each case checks the exit status, the message (naming the file, line or field) and, for
# bad input, that no output file (and no temporary) is left behind.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case_name=$1 oracle=$2 src=$3 work=$4/$1
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
golden=$src/golden cases=$src/cases

. "$here/cli_helpers.sh"
# bad INPUT_REGEX -- run args...: exit 2, message, and no output file or temporary left.
bad() {
  local regex=$1; shift 2
  expect 2 "$regex" -- "$oracle" "$@" -o result.jsonl
  ! ls result.jsonl* >/dev/null 2>&1 || fail "an output file was left behind: $(ls result.jsonl*)"
}

case $case_name in
# ---- golden traces: an independent exact-rational implementation, rounded to nearest ----
golden_small|golden_literal|golden_npy)
  expect 0 "verdict: AGREE" -- "$oracle" compare "$golden/$case_name.jsonl" \
    --candidate "$golden/$case_name.expected.jsonl" --ulps 0.5 ;;
golden_npy_float64_override)  # the same gradients as float64, through --gradients
  perl -e 'open F, "<", $ARGV[0]; binmode F; local $/; $d = <F>; $d = substr($d, 128); print pack("d<*", unpack("f<*", $d))' \
    "$golden/golden_npy_grads.npy" > g64.bin
  make_npy g64.npy '<f8' False '(10, 3)' g64.bin
  expect 0 "verdict: AGREE" -- "$oracle" compare "$golden/golden_npy.jsonl" --gradients g64.npy \
    --candidate "$golden/golden_npy.expected.jsonl" --ulps 0.5 ;;
# ---- run: outputs at every precision agree with the exact trajectory ----
run_precision_50)
  expect 0 "" -- "$oracle" run "$golden/golden_small.jsonl" --precision 50 -o r.jsonl
  grep -q '"precision":"50"' r.jsonl || fail "no precision in the header"
  expect 0 "verdict: AGREE" -- "$oracle" compare "$golden/golden_small.jsonl" --candidate r.jsonl --ulps 0.5 ;;
run_double_core_bound)  # a correct float64 candidate: the core's own double run
  expect 0 "" -- "$oracle" run "$cases/signal_dominated.jsonl" -o r.jsonl
  expect 0 "verdict: AGREE" -- "$oracle" compare "$cases/signal_dominated.jsonl" --candidate r.jsonl --bound core-double ;;
run_enclose_pairs)
  expect 0 "" -- "$oracle" run "$golden/golden_small.jsonl" --precision 30 --enclose -o e.jsonl
  grep -q '"gt":\[\[1,1\],\[2,2\]\]' e.jsonl || fail "step 1 enclosures are not the exact points"
  expect 0 "" -- "$oracle" run "$golden/golden_small.jsonl" --enclose -o d.jsonl
  grep -q '"enclose":true' d.jsonl || fail "double enclosure header"
  expect 2 "not enclosures" -- "$oracle" compare "$golden/golden_small.jsonl" --candidate e.jsonl --ulps 1 ;;
run_npy_roundtrip)  # .npy outputs read back as a candidate; shape and header as numpy writes
  expect 0 "" -- "$oracle" run "$golden/golden_npy.jsonl" --npy-dir out
  for q in gt st var Bstar eta phi; do [ -f out/$q.npy ] || fail "out/$q.npy missing"; done
  head -c 80 out/phi.npy | grep -q "'shape': (10, 3)" || fail "phi.npy header shape"
  expect 0 "verdict: AGREE" -- "$oracle" compare "$golden/golden_npy.jsonl" --bound core-double \
    --candidate-npy phi=out/phi.npy,eta=out/eta.npy --candidate-npy Bstar=out/Bstar.npy
  expect 0 "" -- "$oracle" run "$golden/golden_npy.jsonl" --npy-dir enc --precision 30 --enclose
  [ -f enc/var.lo.npy ] && [ -f enc/var.hi.npy ] || fail "enclosure .npy files missing" ;;
# ---- compare catches wrong candidates ----
wrong_constant)  # lambda_B = 15 instead of 16 (E12)
  sed 's/"batch_size":4/"batch_size":4,"lambda_batch":15/' "$cases/signal_dominated.jsonl" > wrong.jsonl
  expect 0 "" -- "$oracle" run wrong.jsonl -o c.jsonl
  expect 1 "verdict: DISAGREE \(first outside: (Bstar|eta|gt|st|var|phi) at step 3" -- \
    "$oracle" compare "$cases/signal_dominated.jsonl" --candidate c.jsonl --bound core-double --ulps 4 ;;
missing_clamp)  # no X14 weight limit: the weight sticks at 1 (absorbing state)
  sed 's/"options":{"eta_max":0.5}/"options":{"eta_max":0.5,"max_weight":null}/' "$cases/signal_dominated.jsonl" > wrong.jsonl
  expect 0 "" -- "$oracle" run wrong.jsonl -o c.jsonl
  expect 1 "verdict: DISAGREE" -- "$oracle" compare "$cases/signal_dominated.jsonl" --candidate c.jsonl --bound core-double --ulps 4 ;;
flipped_bit)  # one bit of one value (phi, step 7, coordinate 1; mantissa bit 44)
  expect 0 "" -- "$oracle" run "$golden/golden_npy.jsonl" --npy-dir out
  expect 0 "verdict: AGREE" -- "$oracle" compare "$golden/golden_npy.jsonl" --bound core-double --candidate-npy phi=out/phi.npy
  off=$((128 + 8 * (6 * 3 + 1) + 5))  # byte 5 of the little-endian double holds bits 40-47
  byte=$(od -An -tu1 -j $off -N1 out/phi.npy | tr -d ' ')
  printf "\\x$(printf %02x $((byte ^ 16)))" | dd of=out/phi.npy bs=1 seek=$off conv=notrunc status=none
  expect 1 "first outside: phi at step 7, coordinate 1" -- "$oracle" compare "$golden/golden_npy.jsonl" \
    --bound core-double --ulps 16 --candidate-npy phi=out/phi.npy ;;
# ---- the stepwise verdict (the default without --ulps/--bound) ----
stepwise_default)  # correctly rounded exact values are a correct float64 candidate
  expect 0 "verdict: AGREE" -- "$oracle" compare "$golden/golden_small.jsonl" \
    --candidate "$golden/golden_small.expected.jsonl"
  grep -q "stepwise check" out.txt || fail "not the stepwise verdict"
  grep -q "precision model: float64" out.txt || fail "precision model not stated" ;;
stepwise_core_double)  # the core's own double run, in another expression order than the model's
  expect 0 "" -- "$oracle" run "$cases/signal_dominated.jsonl" -o r.jsonl
  expect 0 "verdict: AGREE" -- "$oracle" compare "$cases/signal_dominated.jsonl" --candidate r.jsonl
  expect 0 "" -- "$oracle" run "$golden/golden_npy.jsonl" --npy-dir out
  expect 0 "verdict: AGREE" -- "$oracle" compare "$golden/golden_npy.jsonl" \
    --candidate-npy gt=out/gt.npy,st=out/st.npy,var=out/var.npy,Bstar=out/Bstar.npy,eta=out/eta.npy,phi=out/phi.npy ;;
stepwise_zero_gradient)  # a coordinate that only sees zero gradients: var = 0, 1/var = inf, still a verdict
  expect 0 "" -- "$oracle" run "$cases/zero_gradient_coordinate.jsonl" --npy-dir out
  expect 0 "verdict: AGREE" -- "$oracle" compare "$cases/zero_gradient_coordinate.jsonl" \
    --candidate-npy gt=out/gt.npy,st=out/st.npy,eta=out/eta.npy,phi=out/phi.npy
  grep -q "unbounded" out.txt && fail "an unbounded region" ;;
stepwise_wrong_constant)  # lambda_B = 15: Bstar is 15/16 of the reference at the first step after warm-up
  sed 's/"batch_size":4/"batch_size":4,"lambda_batch":15/' "$cases/signal_dominated.jsonl" > wrong.jsonl
  expect 0 "" -- "$oracle" run wrong.jsonl -o c.jsonl
  expect 1 "verdict: DISAGREE \(first outside: Bstar at step 3, coordinate 0\)" -- \
    "$oracle" compare "$cases/signal_dominated.jsonl" --candidate c.jsonl --report rep.json
  grep -q "candidate/reference = 0.9375 = 15/16" out.txt || fail "no ratio 15/16"
  grep -Eq "that step, coordinate 0: gt agrees, st agrees, var agrees, Bstar OUTSIDE" out.txt || fail "no step detail"
  grep -q '"first_outside":{"quantity":"Bstar","step":3,"coordinate":0' rep.json || fail "report: first outside"
  grep -q '"verdict":"disagree"' rep.json || fail "report: verdict" ;;
stepwise_eta_min|stepwise_min_weight)  # tempering: the core's run with the floor agrees, one without it does not
  # The floor that the case sets (cases/tempering.jsonl leaves both unset), and the first
  # step where it binds, read from the floorless run itself: for eta_min the first step
  # after warm-up (K = 2) with eta < eta_min, where eta is then the first outside; for
  # min_weight the first step with w = min(1, 1/2, B/Bstar) < min_weight (B = 4), after which
  # the next step's averages (gt first) differ.
  if [ "$case_name" = stepwise_eta_min ]; then floor='"eta_min":0.05'; else floor='"min_weight":0.25'; fi
  sed "s/\"options\":{\"eta_max\":0.5}/\"options\":{\"eta_max\":0.5,$floor}/" "$cases/tempering.jsonl" > tempered.jsonl
  grep -q "$floor" tempered.jsonl || fail "the floor was not set"
  expect 0 "" -- "$oracle" run tempered.jsonl -o right.jsonl
  expect 0 "verdict: AGREE" -- "$oracle" compare tempered.jsonl --candidate right.jsonl
  expect 0 "" -- "$oracle" run "$cases/tempering.jsonl" -o floorless.jsonl
  kind=$([ "$case_name" = stepwise_eta_min ] && echo eta || echo weight)
  first=$(KIND=$kind perl -MJSON::PP -ne '
    my $r = decode_json($_); next unless exists $r->{t} && $r->{t} > 2;
    for my $i (0 .. $#{$r->{eta}}) {
      my $w = $r->{Bstar}[$i] > 0 ? 4 / $r->{Bstar}[$i] : 1; $w = 0.5 if $w > 0.5;
      if ($ENV{KIND} eq "eta" && $r->{eta}[$i] < 0.05) { print "eta at step $r->{t}"; exit }
      if ($ENV{KIND} eq "weight" && $w < 0.25) { print "(gt|st|var|Bstar|eta|phi) at step " . ($r->{t} + 1); exit }
    }' floorless.jsonl)
  [ -n "$first" ] || fail "the floor never binds on this trace: the case shows nothing"
  expect 1 "verdict: DISAGREE \(first outside: $first, coordinate" -- "$oracle" compare tempered.jsonl --candidate floorless.jsonl ;;
stepwise_flipped_bit)  # one bit of phi (step 7, coordinate 1) in the core's own run
  expect 0 "" -- "$oracle" run "$golden/golden_npy.jsonl" --npy-dir out
  off=$((128 + 8 * (6 * 3 + 1) + 5))
  byte=$(od -An -tu1 -j $off -N1 out/phi.npy | tr -d ' ')
  printf "\\x$(printf %02x $((byte ^ 16)))" | dd of=out/phi.npy bs=1 seek=$off conv=notrunc status=none
  expect 1 "first outside: phi at step 7, coordinate 1" -- "$oracle" compare "$golden/golden_npy.jsonl" \
    --candidate-npy gt=out/gt.npy,st=out/st.npy,eta=out/eta.npy,phi=out/phi.npy ;;
stepwise_phi_only)  # eta and phi only: eta against the hidden-state enclosure, phi from eta
  expect 0 "" -- "$oracle" run "$golden/golden_npy.jsonl" --npy-dir out
  expect 0 "verdict: AGREE" -- "$oracle" compare "$golden/golden_npy.jsonl" --candidate-npy eta=out/eta.npy,phi=out/phi.npy
  grep -q "eta is checked against the oracle's own enclosure" out.txt || fail "does not say how eta is checked"
  grep -q "^hidden state: eta's admissible region" out.txt || fail "does not report the enclosure's width"
  grep -Eq "^(gt|st) +[0-9]" out.txt && fail "reports a quantity it did not check"
  off=$((128 + 8 * (6 * 3 + 1) + 5))  # a wrong phi at step 7 is still caught
  byte=$(od -An -tu1 -j $off -N1 out/phi.npy | tr -d ' ')
  printf "\\x$(printf %02x $((byte ^ 16)))" | dd of=out/phi.npy bs=1 seek=$off conv=notrunc status=none
  expect 1 "first outside: phi at step 7, coordinate 1" -- "$oracle" compare "$golden/golden_npy.jsonl" \
    --candidate-npy eta=out/eta.npy,phi=out/phi.npy ;;
bad_stepwise_missing)  # the stepwise check needs eta (and st beside gt)
  expect 0 "" -- "$oracle" run "$golden/golden_npy.jsonl" --npy-dir out
  expect 2 "the candidate does not record eta" -- "$oracle" compare "$golden/golden_npy.jsonl" --candidate-npy phi=out/phi.npy
  expect 2 "records gt but not st" -- "$oracle" compare "$golden/golden_npy.jsonl" \
    --candidate-npy gt=out/gt.npy,eta=out/eta.npy,phi=out/phi.npy --report rep.json
  [ ! -e rep.json ] || fail "a report was written" ;;
bad_stepwise_precision)  # a float32 record cannot be judged at a declared float64
  perl -e 'print pack("f<*", (0) x 30)' > z.bin
  make_npy e32.npy '<f4' False '(10, 3)' z.bin
  expect 0 "" -- "$oracle" run "$golden/golden_npy.jsonl" --npy-dir out
  expect 2 "e32.npy: recorded as float32, but --candidate-precision float64" -- "$oracle" compare "$golden/golden_npy.jsonl" \
    --candidate-npy eta=e32.npy,phi=out/phi.npy --candidate-precision float64
  expect 2 "does not combine with --ulps" -- "$oracle" compare "$golden/golden_npy.jsonl" \
    --candidate-npy eta=out/eta.npy,phi=out/phi.npy --candidate-precision float64 --ulps 1 ;;
bad_stepwise_truncated)  # a candidate shorter than the trace, and a flag of the other mode
  head -5 "$golden/golden_small.expected.jsonl" > c.jsonl
  expect 2 "c.jsonl:5: the candidate ends after 4 steps" -- "$oracle" compare "$golden/golden_small.jsonl" --candidate c.jsonl
  expect 2 "\-\-precision belongs to the whole-trajectory comparison" -- "$oracle" compare "$golden/golden_small.jsonl" \
    --candidate "$golden/golden_small.expected.jsonl" --precision 60 ;;
bad_stepwise_report_path)  # an unwritable report path fails before the work, leaving nothing
  expect 0 "" -- "$oracle" run "$golden/golden_npy.jsonl" --npy-dir out
  expect 2 "no_such_dir" -- "$oracle" compare "$golden/golden_npy.jsonl" \
    --candidate-npy eta=out/eta.npy,phi=out/phi.npy --report no_such_dir/rep.json
  [ ! -e no_such_dir ] || fail "created the directory" ;;
enclose_widths)  # the centred enclosures stay below one double ulp on a noisy trace (300 steps,
  # d = 2); plain intervals pass it at step 73 and become unbounded at step 101 (--widths
  # still reports up to there, exit 2, the error named). Misuse of the options is bad input.
  expect 0 "" -- "$oracle" run "$cases/noisy_300.jsonl" --precision 50 --enclose --widths
  [ "$(grep -cE '^(gt|st|var|Bstar|eta|phi) +never ' out.txt)" -eq 6 ] || fail "a centred enclosure passed one ulp"
  grep -q "enclosure widths: centred, 50 digits, 300 steps, dimension 2" out.txt || fail "report header"
  expect 2 "step 101, coordinate 1: the running variance st - gt\^2 is possibly zero" -- \
    "$oracle" run "$cases/noisy_300.jsonl" --precision 50 --enclose --enclosure interval --widths
  grep -Eq '^eta +step 73, coord 1 ' out.txt || fail "the interval enclosure's first loose step"
  grep -q '^stopped at step 101' out.txt || fail "no stop line"
  expect 2 "needs --enclose and --precision N" -- "$oracle" run "$cases/noisy_300.jsonl" --precision 50 --widths
  expect 2 "needs --enclose and --precision N" -- "$oracle" run "$cases/noisy_300.jsonl" --enclose --widths
  expect 2 "cannot write there too" -- "$oracle" run "$cases/noisy_300.jsonl" --precision 50 --enclose --widths -o -
  expect 2 "give --enclose and --precision N" -- "$oracle" run "$cases/noisy_300.jsonl" --enclosure interval -o r.jsonl
  [ ! -e r.jsonl ] || fail "an output was written" ;;
enclose_compare_noisy)  # the whole-trajectory verdict on a noisy trace: the core's 50-digit run
  # agrees within half an ulp of the centred enclosure; the plain interval reference gives none
  expect 0 "" -- "$oracle" run "$cases/noisy_300.jsonl" --precision 50 -o c.jsonl
  expect 0 "verdict: AGREE" -- "$oracle" compare "$cases/noisy_300.jsonl" --candidate c.jsonl --ulps 0.5
  grep -q "MPFI enclosure at 40 digits (centred)" out.txt || fail "the report names the method"
  expect 2 "possibly zero" -- "$oracle" compare "$cases/noisy_300.jsonl" --candidate c.jsonl --ulps 0.5 \
    --enclosure interval
  expect 2 "belongs to the whole-trajectory comparison" -- "$oracle" compare "$cases/noisy_300.jsonl" \
    --candidate c.jsonl --enclosure interval ;;
no_verdict_loose_reference)  # a reference enclosure wider than one ulp gives no verdict, even for a
  # candidate inside every region; more digits give one. The 16-digit enclosure of var (a
  # 16-digit cancellation) is about 1e16 ulps wide, far above the absolute floor 2^(32-p).
  expect 0 "" -- "$oracle" run "$cases/cancelling_variance.jsonl" --precision 50 -o c50.jsonl
  expect 3 "NO VERDICT: the exact enclosure is wider than one ulp at [0-9]+ values \(first: var at step 2" -- \
    "$oracle" compare "$cases/cancelling_variance.jsonl" --candidate c50.jsonl --ulps 4 --precision 16
  expect 0 "verdict: AGREE" -- "$oracle" compare "$cases/cancelling_variance.jsonl" --candidate c50.jsonl --ulps 4 ;;
no_verdict_loose_report)  # the same loose reference seen through another candidate, the core's
  # double run judged with --bound core-double, and through the JSON report's counts
  expect 0 "" -- "$oracle" run "$cases/cancelling_variance.jsonl" -o c.jsonl
  expect 3 "NO VERDICT" -- "$oracle" compare "$cases/cancelling_variance.jsonl" --candidate c.jsonl \
    --bound core-double --precision 16 --report rep.json
  grep -q '"verdict":"none"' rep.json || fail "report verdict"
  grep -Eq '"var":\{"values":10,"outside":0,"loose":[1-9]' rep.json || fail "report: no loose var values"
  expect 0 "verdict: AGREE" -- "$oracle" compare "$cases/cancelling_variance.jsonl" --candidate c.jsonl --bound core-double ;;
report_json)
  expect 0 "AGREE" -- "$oracle" compare "$golden/golden_small.jsonl" --candidate "$golden/golden_small.expected.jsonl" \
    --ulps 0.5 --report rep.json
  grep -q '"verdict":"agree"' rep.json || fail "report verdict" ;;
# ---- derive ----
derive_values)  # E12: B* = 16 sigma^2/g^2 = 64 exactly; E26: r = 1 + sqrt(2 ln 20) = 3.4477468...
  expect 0 "B_star +E12 +\[6.4e1,6.4e1\]" -- "$oracle" derive --sigma 1 --g 0.5 --L 2
  expect 0 "^r +E26 +\[3.447746830680816546" -- "$oracle" derive --b 1 --delta 0.05
  expect 0 '"name":"k_star"' -- "$oracle" derive --json --precision double --r 1 --norm 2 ;;
derive_bad)
  expect 2 "B_star \(E12\).*g finite and != 0" -- "$oracle" derive --sigma 1 --g 0 --L 1 --B 2
  expect 2 "eta_star \(E12\).*L finite and > 0" -- "$oracle" derive --L 0
  expect 2 "no formula" -- "$oracle" derive --eta 1
  expect 2 "not a decimal number|could not be converted|Could not convert" -- "$oracle" derive --L abc
  # finite inputs whose value leaves double's range: the formula is named, no NaN is printed
  expect 2 "B_star \(E12\).*not finite.*overflowed" -- "$oracle" derive --precision double --sigma 1e200 --g 1e-200
  expect 2 "vector_progress_bound \(E27\).*not finite" -- "$oracle" derive --precision double \
    --norm 8.46e88 --r 2.2e93 --k 4.9e-91 --L 9.86e-32 --eta -9.49e80 ;;
# ---- bad input: exit 2, a message naming file/line/field, no output file ----
bad_malformed_header)
  printf '{"format":"quench-trace",\n' > t.jsonl
  bad "t.jsonl:1: malformed JSON in the header" -- run t.jsonl ;;
bad_malformed_line)
  trace '' '{"g":[1,2]}' '{"g":[1,2],}' '{"g":[1,2]}'
  bad "t.jsonl:3: malformed JSON" -- run t.jsonl ;;
bad_wrong_dimension)
  trace '' '{"g":[1,2]}' '{"g":[1,2,3]}'
  bad "t.jsonl:3: g: has 3 entries but the dimension is 2" -- run t.jsonl ;;
bad_nan)
  trace '' '{"g":[1,NaN]}'
  bad "t.jsonl:2: malformed JSON" -- run t.jsonl ;;
bad_inf)
  trace '' '{"g":[1,1e999]}'
  bad "t.jsonl:2: malformed JSON: number overflow parsing '1e999'" -- run t.jsonl
  trace '' '{"g":[1,-1e309]}'
  bad "t.jsonl:2: malformed JSON: number overflow" -- run t.jsonl --precision 30 ;;
bad_huge_gradient)
  trace '' '{"g":[1,1e200]}'
  bad "t.jsonl:2: g\[1\]: 1e200: \|gradient\| exceeds" -- run t.jsonl --precision 30 ;;
bad_meta_batch)
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":-1,"warmup":2,"lambda_rate":1},"phi0":[1]}' > t.jsonl
  bad "t.jsonl:1: invalid meta-parameters: quench: batch_size B must be finite and > 0" -- run t.jsonl ;;
bad_meta_warmup)
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":0,"lambda_rate":1},"phi0":[1]}' > t.jsonl
  bad "t.jsonl:1: hyperparameters.warmup: must be >= 1" -- run t.jsonl ;;
bad_meta_max_weight)
  trace ',"steps":0' && sed -i 's/"eta_max":0.5/"eta_max":0.5,"max_weight":2/' t.jsonl
  bad "max_weight must be <= 1" -- run t.jsonl --precision 20 --enclose ;;
bad_unknown_field)
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":1,"lamda_rate":1},"phi0":[1]}' > t.jsonl
  bad "t.jsonl:1: hyperparameters.lamda_rate: unknown field" -- run t.jsonl ;;
bad_noise)
  trace '' && sed -i 's/"eta_max":0.5/"eta_max":0.5,"noise":"per_batch"/' t.jsonl
  bad 'options.noise: must be "per_example" or "minibatch"' -- run t.jsonl ;;
bad_zero_variance)  # constant gradients, no eta_max: eta = lambda gt^2/0 (X9)
  printf '%s\n' '{"format":"quench-trace","version":1,"hyperparameters":{"batch_size":1,"warmup":1,"lambda_rate":1},"phi0":[1]}' \
    '{"g":[1]}' '{"g":[1]}' '{"g":[1]}' > t.jsonl
  bad "t.jsonl:3: the reference is undefined for these options.*X9" -- run t.jsonl ;;
bad_truncated_steps)
  trace ',"steps":4' '{"g":[1,2]}' '{"g":[1,2]}'
  bad "t.jsonl: ends after 2 gradient lines but the header declares \"steps\": 4 \(truncated file\?\)" -- run t.jsonl ;;
bad_truncated_line)
  trace '' '{"g":[1,2]}' '{"g":[1,'
  bad "t.jsonl:3: malformed JSON" -- run t.jsonl --precision 20 ;;
bad_npy_dtype)
  doubles 1 2 3 4 > d.bin; make_npy g.npy '<i8' False '(2, 2)' d.bin
  trace ',"gradients":"g.npy"'
  bad "g.npy: dtype '<i8' is not float64" -- run t.jsonl ;;
bad_npy_byte_order)
  doubles 1 2 3 4 > d.bin; make_npy g.npy '>f8' False '(2, 2)' d.bin
  trace ',"gradients":"g.npy"'
  bad "g.npy: big-endian dtype" -- run t.jsonl ;;
bad_npy_fortran)
  doubles 1 2 3 4 > d.bin; make_npy g.npy '<f8' True '(2, 2)' d.bin
  trace ',"gradients":"g.npy"'
  bad "g.npy: Fortran-order" -- run t.jsonl ;;
bad_npy_shape)
  doubles 1 2 3 4 5 6 > d.bin; make_npy g.npy '<f8' False '(2, 3)' d.bin
  trace ',"gradients":"g.npy"'
  bad "g.npy: gradients have 3 columns but phi0 .* has dimension 2" -- run t.jsonl
  make_npy g.npy '<f8' False '(6,)' d.bin
  bad "g.npy: shape \(6\) has 1 dimensions, expected 2" -- run t.jsonl ;;
bad_npy_truncated)
  doubles 1 2 3 > d.bin; make_npy g.npy '<f8' False '(2, 2)' d.bin
  trace ',"gradients":"g.npy"'
  bad "g.npy: holds 24 data bytes but shape \(2, 2\) needs 32 \(truncated file\?\)" -- run t.jsonl ;;
bad_npy_nan)
  { doubles 1 2; printf '\x00\x00\x00\x00\x00\x00\xf8\x7f'; doubles 4; } > d.bin; make_npy g.npy '<f8' False '(2, 2)' d.bin
  trace ',"gradients":"g.npy"'
  bad "g.npy: row 1, column 0 is NaN" -- run t.jsonl ;;
bad_partial_output)  # an error at step 5 after 4 good steps: no partial file, no temporary
  trace '' '{"g":[1,2]}' '{"g":[1,0]}' '{"g":[1,1]}' '{"g":[1,3]}' '{"g":[1,"x"]}'
  bad "t.jsonl:6: g\[1\]: expected a number, got a string" -- run t.jsonl
  mkdir npyout
  expect 2 "t.jsonl:6" -- "$oracle" run t.jsonl --npy-dir npyout
  [ -z "$(ls npyout)" ] || fail "partial .npy files left: $(ls npyout)" ;;
bad_unknown_option)
  expect 2 "frobnicate" -- "$oracle" run "$golden/golden_small.jsonl" --frobnicate -o x.jsonl
  [ ! -e x.jsonl ] || fail "output written"
  expect 2 "precision" -- "$oracle" run "$golden/golden_small.jsonl" --precision 5 -o x.jsonl ;;
bad_candidate_truncated)
  head -5 "$golden/golden_small.expected.jsonl" > c.jsonl
  expect 2 "c.jsonl:5: the candidate ends after 4 steps" -- "$oracle" compare "$golden/golden_small.jsonl" --candidate c.jsonl --ulps 1 ;;
bad_candidate_dimension)
  sed 's/"dimension": 2/"dimension": 3/' "$golden/golden_small.expected.jsonl" > c.jsonl
  expect 2 "c.jsonl:1: the candidate has dimension 3 but the trace" -- "$oracle" compare "$golden/golden_small.jsonl" --candidate c.jsonl --ulps 1 ;;
# ---- the README's worked example (needs Debian's python3 with numpy: QUENCH_PYTHON) ----
readme_example)
  "$QUENCH_PYTHON" "$src/../example/quench_numpy.py" np > /dev/null || fail "quench_numpy.py failed"
  expect 0 "verdict: AGREE" -- "$oracle" compare np/trace.jsonl \
    --candidate-npy gt=np/gt.npy,st=np/st.npy,eta=np/eta.npy,phi=np/phi.npy
  grep -Eq "^phi +1200 +0 " out.txt || fail "no phi line with 1200 values"
  grep -Eq "^eta +1200 +0 " out.txt || fail "no eta line with 1200 values"
  "$QUENCH_PYTHON" "$src/../example/quench_numpy.py" npw --wrong > /dev/null || fail "quench_numpy.py --wrong failed"
  expect 1 "verdict: DISAGREE \(first outside: eta at step 11, coordinate 3\)" -- "$oracle" compare npw/trace.jsonl \
    --candidate-npy gt=npw/gt.npy,st=npw/st.npy,eta=npw/eta.npy,phi=npw/phi.npy
  grep -q "that step, coordinate 3: gt agrees, st agrees, eta OUTSIDE" out.txt || fail "no step detail"
  # with only eta and phi recorded, the hidden-state enclosure is still tight at step 11
  expect 1 "verdict: DISAGREE \(first outside: eta at step 11, coordinate 3\)" -- "$oracle" compare npw/trace.jsonl \
    --candidate-npy eta=npw/eta.npy,phi=npw/phi.npy ;;
*) fail "unknown case" ;;
esac
echo "PASS [$case_name]"
