#!/usr/bin/python3
"""Accuracy reference for `orchestrator cv`: the method's runs in plain PyTorch, trained on the same
stored features with the same splits, compared run by run (docs/benchmarks.md, "Training fidelity").

  pytorch_accuracy.py train STORE RESULTS OUT CONFIG...   train every run `cv` left in RESULTS (resumable)
  pytorch_accuracy.py compare RESULTS OUT CONFIG...       both sides side by side: mean UA, standard errors,
                                                          differences, class collapse; writes OUT/compare.md

CONFIG is a configuration key of `cv`: linear:T, linear:F, late:T+F, coattention:T+W, ...

What is shared with the project, and what is not. Shared: the stored features (read with numpy from the
store's shards as docs/feature-store.md says) and each run's split: the test session is the fold, the
validation utterances are those the run recorded in its result (RunResult.ValidationIds), the training
utterances the rest. Everything else is this file's own, written from method.md: standardisation with
the training split's mean and population standard deviation per layer and dimension, the models (the
module classes of pytorch_train.py, written from method.md sections 4-5), PyTorch's own initialisation
under a seed of this file's, plain shuffled batches of 32 drawn anew every epoch (random.shuffle, then
cut in order: no length grouping), Adam at 1e-3 (feed-forward) or 5e-5 (attention), early stopping on
validation UA with patience 5 and at most 100 epochs, the best epoch's weights evaluated on the test
session.

Runs train in worker processes, one libtorch thread each (WORKERS, default the core count).
Needs only torch and numpy (Debian's python3-torch; put OpenBLAS first on LD_LIBRARY_PATH for speed).
"""
import copy
import hashlib
import json
import math
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pytorch_train import (BATCH, CLASSES, STREAMS, CoattentionFusion, LateFusion, fit_standardizer,  # noqa: E402
                           load_store, predict, read_batch, sorted_batches)

LEARNING_RATE = {"linear": 1e-3, "late": 1e-3, "coattention": 5e-5}
PATIENCE, MAX_EPOCHS = 5, 100


def results_file(results, key):
    """The project's runs of KEY as bench/run-fidelity.sh exports them from PostgreSQL (':' and '+' become '_')."""
    return Path(results) / ("".join("_" if c in ":+" else c for c in key) + ".json")


def parse(key):
    model, letters = key.split("#")[0].split(":")
    return model, [STREAMS[letter] for letter in letters.split("+")]


def sessions_of(store):
    manifest = json.loads((Path(store) / "manifest.json").read_text())
    return {u["id"]: u["session"] for u in manifest["utterances"] if u.get("label") in CLASSES}


def metrics(logits, labels, ids):
    """UA over the classes present, WA, and the present classes never predicted (class collapse)."""
    predicted = np.array([int(np.argmax(logits[i])) for i in ids])
    truth = np.array([labels[i] for i in ids])
    present = [c for c in range(len(CLASSES)) if (truth == c).any()]
    ua = float(np.mean([(predicted[truth == c] == c).mean() for c in present]))
    wa = float((predicted == truth).mean())
    collapsed = [c for c in present if not (predicted == c).any()]
    return ua, wa, collapsed


# ---- one run ------------------------------------------------------------------------------------

STATE = {}


def init_worker(store, names):
    torch.set_num_threads(1)
    STATE["description"], STATE["data"], STATE["labels"], _ = load_store(store, names)
    STATE["sessions"] = sessions_of(store)


def train_run(job):
    """Trains (key, fold, repeat) on the split the project's run recorded; returns its result line."""
    key, fold, repeat, validation = job
    description, data, labels, sessions = STATE["description"], STATE["data"], STATE["labels"], STATE["sessions"]
    model_name, names = parse(key)
    seed = int.from_bytes(hashlib.sha256(f"pytorch-reference|{key}|{fold}|{repeat}".encode()).digest()[:4], "little")
    rng = random.Random(seed)
    torch.manual_seed(seed)

    held_out = set(validation)
    test = sorted(i for i in data if sessions[i] == fold)
    train = sorted(i for i in data if sessions[i] != fold and i not in held_out)
    validation = sorted(validation)
    shapes = {n: (len(description["text_layers"] if n == "text" else description["speech_layers"]),
                  description["text_width" if n == "text" else "speech_width"]) for n in names}
    model = CoattentionFusion(shapes) if model_name == "coattention" else LateFusion(shapes)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE[model_name])
    standardizers = {n: fit_standardizer(data, train, n) for n in names}
    length = lambda i: max(data[i][n].shape[1] for n in names)          # only pads evaluation batches compactly

    clock = time.perf_counter()
    best_ua, best_epoch, best_state, epoch = -math.inf, 0, None, 0
    while epoch - best_epoch < PATIENCE and epoch < MAX_EPOCHS:
        epoch += 1
        model.train()
        order = list(train)
        rng.shuffle(order)
        for b in range(0, len(order), BATCH):
            batch, target = read_batch(data, labels, order[b:b + BATCH], names, standardizers)
            loss = F.cross_entropy(model(batch), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        ua, _, _ = metrics(predict(model, data, labels, sorted_batches(validation, length), names, standardizers), labels, validation)
        if ua > best_ua:
            best_ua, best_epoch, best_state = ua, epoch, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    ua, wa, collapsed = metrics(predict(model, data, labels, sorted_batches(test, length), names, standardizers), labels, test)
    return dict(config=key, fold=fold, repeat=repeat, seed=seed, ua=ua, wa=wa, collapsed=collapsed, epochs=epoch,
                best_epoch=best_epoch, validation_ua=best_ua, seconds=time.perf_counter() - clock,
                train=len(train), validation=len(validation), test=len(test))


def project_runs(results, key):
    path = results_file(results, key)
    if not path.exists():
        sys.exit(f"{path}: no runs of {key}: run bench/run-fidelity.sh, which cross-validates and exports them")
    return json.loads(path.read_text())


def train(store, results, out, keys):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lines = out / "pytorch.jsonl"
    done = {(r["config"], r["fold"], r["repeat"]) for r in map(json.loads, lines.read_text().splitlines())} if lines.exists() else set()
    jobs = []
    for key in keys:
        for run in project_runs(results, key):
            if (key, run["Fold"], run["Repeat"]) not in done:
                jobs.append((key, run["Fold"], run["Repeat"], run["ValidationIds"]))
    names = sorted({n for key in keys for n in parse(key)[1]}, key=list(STREAMS.values()).index)
    workers = int(os.environ.get("WORKERS", os.cpu_count()))
    print(f"pytorch {torch.__version__}: {len(jobs)} runs to train ({len(done)} already done), {workers} worker(s)", flush=True)
    with multiprocessing.get_context("fork").Pool(workers, init_worker, (store, names)) as pool:
        for n, line in enumerate(pool.imap_unordered(train_run, jobs), 1):
            with open(lines, "a") as f:
                f.write(json.dumps(line) + "\n")
            print(f"  [{n}/{len(jobs)}] {line['config']} fold {line['fold']} repeat {line['repeat']}: UA {line['ua'] * 100:.1f}"
                  f" ({line['best_epoch']}/{line['epochs']} epochs, {line['seconds']:.0f} s)"
                  + (f", never predicted {[list(CLASSES)[c] for c in line['collapsed']]}" if line["collapsed"] else ""), flush=True)


# ---- comparison ---------------------------------------------------------------------------------

def standard_error(values):
    return statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else float("nan")


def compare(results, out, keys):
    lines = [json.loads(line) for line in (Path(out) / "pytorch.jsonl").read_text().splitlines() if line.strip()]
    rows = ["| configuration | runs | project UA | PyTorch UA | difference | SE (unpaired) | SE (paired) | difference / paired SE "
            "| collapsed runs, project | collapsed runs, PyTorch |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for key in keys:
        ours = {(r["Fold"], r["Repeat"]): r for r in project_runs(results, key)}
        theirs = {(r["fold"], r["repeat"]): r for r in lines if r["config"] == key}
        runs = sorted(set(ours) & set(theirs))
        if not runs:
            continue
        a = [ours[r]["UnweightedAccuracy"] * 100 for r in runs]
        b = [theirs[r]["ua"] * 100 for r in runs]
        d = [x - y for x, y in zip(a, b)]
        unpaired = math.sqrt(standard_error(a) ** 2 + standard_error(b) ** 2)
        paired = standard_error(d)
        collapsed_ours = sum(1 for r in runs if ours[r]["CollapsedClasses"])
        collapsed_theirs = sum(1 for r in runs if theirs[r]["collapsed"])
        rows.append(f"| {key} | {len(runs)} | {statistics.mean(a):.1f} ± {standard_error(a):.1f} | {statistics.mean(b):.1f} ± {standard_error(b):.1f} "
                    f"| {statistics.mean(d):+.1f} | {unpaired:.1f} | {paired:.1f} | {statistics.mean(d) / paired:+.1f} "
                    f"| {collapsed_ours} | {collapsed_theirs} |")
    text = "\n".join(rows)
    (Path(out) / "compare.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif len(sys.argv) >= 5 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
