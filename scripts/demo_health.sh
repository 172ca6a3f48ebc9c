#!/usr/bin/env bash
# `make demo` step: the data health report on a dataset scikit-learn ships (breast cancer,
# bundled with the library -- no download), split with a fixed-seed stratified split so it is
# clean. Exits 0 on the clean split; `toolkit check data` would exit 1 on a high finding.
set -euo pipefail
cd "$(dirname "$0")/.."
printf '\n\033[1m== %s\033[0m\n' "data health report: toolkit check data (breast cancer, clean split)"
out=demo-output/health
mkdir -p "$out"
python - "$out" <<'PY'
import sys
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

out = sys.argv[1]
df = load_breast_cancer(as_frame=True).frame
train, test = train_test_split(df, test_size=0.25, stratify=df["target"], random_state=0)
train.to_csv(f"{out}/train.csv", index=False)
test.to_csv(f"{out}/test.csv", index=False)
print(f"wrote {out}/train.csv ({len(train)} rows) and {out}/test.csv ({len(test)} rows)")
PY
toolkit check data "$out/train.csv" --test "$out/test.csv" --target target \
  --html "$out/report.html" --json-out "$out/result.json" --quiet
echo "health report: $(pwd)/$out/report.html"
