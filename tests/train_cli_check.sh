#!/bin/sh
# htsep-train's answers to bad arguments: the message names the option or
# file, the exit status is 2 for a bad argument and 1 for a file problem,
# and nothing trains. Usage: sh tests/train_cli_check.sh TOP FASHION_DIR
# Prints "train_cli_check: ok" at the end; anything else is a failure.
set -u
train="$1/build/htsep-train"
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() {
    echo "train_cli_check: FAILED: $*"
    exit 1
}

# expect STATUS TEXT ARGS...: runs htsep-train ARGS, wants STATUS and TEXT
# in its error output, and no epoch trained.
expect() {
    want=$1 text=$2
    shift 2
    "$train" "$@" > "$tmp/out" 2> "$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] ||
        fail "htsep-train $*: status $got, not $want: $(cat "$tmp/err")"
    grep -qF -- "$text" "$tmp/err" ||
        fail "htsep-train $*: no '$text' in: $(cat "$tmp/err")"
    ! grep -q '^epoch' "$tmp/out" || fail "htsep-train $*: trained"
}

expect 2 "--data: missing value" --data --epochs 1
expect 2 "--epochs: bad value '0'" --data "$data" --epochs 0
# An option without a value of its own must not take the next option as one.
expect 2 "--json: missing value" --data "$data" --train-limit 10 --json --quiet
expect 2 "--save: missing value" --data "$data" --train-limit 10 --save --help
# An empty path or name is refused as the option's, before any work.
expect 2 "--json: empty value" --data "$data" --train-limit 10 --json ""
expect 2 "--save: empty value" --data "$data" --train-limit 10 --save ""
expect 2 "--load: empty value" --data "$data" --train-limit 10 --load ""
expect 2 "--label: empty value" --data "$data" --train-limit 10 --label ""
expect 2 "--data: empty value" --data ""
expect 2 "--rate-scale: bad value '0'" --data "$data" --rate-scale 0
expect 2 "--decay (must lie in (0, 1])" --data "$data" --decay -1 \
    --train-limit 10
expect 2 "--input-mean/--input-sd" --data "$data" --input-mean 0 \
    --input-sd 0 --train-limit 10
# One alone would pair with 0 or 1 instead of the preset's standardisation.
expect 2 "--input-mean and --input-sd go together" --data "$data" \
    --input-sd 1 --train-limit 10
expect 2 "--input-mean and --input-sd go together" --data "$data" \
    --input-mean 0.5 --train-limit 10
expect 1 "$tmp/none.ck" --data "$data" --load "$tmp/none.ck" --train-limit 10
expect 1 "--json $tmp: Is a directory" --data "$data" --train-limit 10 \
    --json "$tmp"
expect 1 "--json $tmp/no/such/dir/r.json" --data "$data" --train-limit 10 \
    --json "$tmp/no/such/dir/r.json"
expect 2 "--dt-min/--dt-max" --data "$data" --dt-min 0.6 --dt-max 0.5 \
    --train-limit 10
expect 2 "--dt-mu/--dt-sigma/--dt-max" --data "$data" --dt-max 2 \
    --dt-mu 1.5 --train-limit 10
# Not-a-number must not stand for "the preset's default", and a seed with
# a sign after leading blanks must not wrap around to a huge number.
expect 2 "--alpha1: bad value 'nan'" --data "$data" --alpha1 nan \
    --train-limit 10
expect 2 "--decay: bad value 'NaN'" --data "$data" --decay NaN \
    --train-limit 10
expect 2 "--input-mean: bad value 'nan'" --data "$data" --input-mean nan \
    --train-limit 10
expect 2 "--dt-mu: bad value 'inf'" --data "$data" --dt-mu inf \
    --train-limit 10
expect 2 "--seed: bad value ' -1'" --data "$data" --seed ' -1' \
    --train-limit 10
expect 2 "--epochs: bad value ' 3'" --data "$data" --epochs ' 3' \
    --train-limit 10
# A mean time step outside the clamps would be silently clamped.
expect 2 "--dt-mu: 0.7 lies outside the clamps [0.001, 0.5]" --data "$data" \
    --preset paper --dist scalar --dt-mu 0.7 --train-limit 10
expect 2 "--dt-mu: 0.3 lies outside the clamps [0.08, 0.08]" --data "$data" \
    --dt-max 0.08 --train-limit 10
expect 2 "--dt-mu: bad value ' 0.3'" --data "$data" --dt-mu ' 0.3' \
    --train-limit 10
# Something other than a regular file is never renamed over (as root, a
# device such as /dev/null would become a file): a FIFO stands for it.
mkfifo "$tmp/fifo"
expect 1 "--json $tmp/fifo: not a regular file" --data "$data" \
    --train-limit 10 --json "$tmp/fifo"
expect 1 "--save $tmp/fifo: the file cannot be opened or created, or is not a regular file" \
    --data "$data" --train-limit 10 --save "$tmp/fifo"
[ -p "$tmp/fifo" ] || fail "the FIFO was replaced"
# The record's temporary file never touches a file of the user's.
echo mine > "$tmp/r.json.part"
"$train" --data "$data" --train-limit 10 --epochs 1 --threads 1 --quiet \
    --json "$tmp/r.json" > "$tmp/out" 2>&1 || fail "a tiny run: $(cat "$tmp/out")"
[ "$(cat "$tmp/r.json.part")" = mine ] || fail "r.json.part was overwritten"
[ "$(find "$tmp" -name 'r.json.*' | wc -l)" -eq 1 ] || fail "a temporary file stayed"
# A bad --json path is found before --save writes anything.
expect 1 "--json $tmp/no/such/x.json" --data "$data" --train-limit 10 \
    --save "$tmp/ok.ck" --json "$tmp/no/such/x.json"
[ ! -e "$tmp/ok.ck" ] || fail "--save wrote $tmp/ok.ck before --json was refused"

# The lower clamp of the hidden time steps follows the preset: the paper's
# 0.001, or for reproduce 0.1 (half the mean time step when that is less).
# dt_min PRESET DT_MU WANT: one tiny epoch, then the recorded dt_min.
dt_min() {
    "$train" --data "$data" --preset "$1" --dt-mu "$2" --dist normal \
        --hidden 8 --epochs 1 --train-limit 256 --quiet \
        --json "$tmp/min.json" > "$tmp/out" 2> "$tmp/err" ||
        fail "--preset $1 --dt-mu $2: $(cat "$tmp/err")"
    grep -q "\"dt_min\":$3," "$tmp/min.json" ||
        fail "--preset $1 --dt-mu $2: dt_min is not $3: $(cat "$tmp/min.json")"
}
dt_min paper 0.3 0.001
dt_min reproduce 0.3 0.1
dt_min reproduce 0.15 0.075
echo "train_cli_check: ok"
