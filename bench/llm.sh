#!/bin/sh
# bench/llm.sh — issue 8's numbers: the 88 KB seed summarised through the
# fake OpenAI-compatible server (tests/fake_llm.py) answering each request
# after a fixed delay at a fixed token rate, at a 4,000-token context with
# 1, 2 and 4 parallel requests. Wall time against the ideal (the model's
# own time, stage by stage, spread over the parallel requests); precis's
# CPU time and peak memory. Target: overhead ≤ 5 % of the model's time.
cd "$(dirname "$0")/.." || exit 1
mkdir -p bench/out
python3 bench/llm_bench.py "${PRECIS_BIN:-$PWD/precis}" | tee bench/out/llm.md
