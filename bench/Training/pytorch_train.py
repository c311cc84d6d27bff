#!/usr/bin/python3
"""Training throughput of late fusion and coattention in plain PyTorch, the reference for
bench/Training (docs/benchmarks.md, "Training").

  pytorch_train.py bench STORE OUT THREADS EPOCHS CONFIG...   one round: appends to OUT/results.jsonl
  pytorch_train.py table OUT                                  medians of both sides and the ratio
  pytorch_train.py ops STORE OUT THREADS CONFIG               per-op profile of one training epoch (OUT/split.json)
  pytorch_train.py matmul THREADS                             time one branch-sized matrix product (BLAS probe)

The models mirror src/Models/Fusion module by module (same layers, same sizes, same masking, same
parameter count); the training loop mirrors src/Models/Training/RunTrainer: standardisation with the
training split's mean/std per layer and dimension, batches of 32 shuffled anew each epoch (EpochBatches'
default, BatchOrder.Shuffled), Adam at the model family's rate, EPOCHS epochs each followed by a
validation pass (early stopping cannot stop: patience = max epochs), best weights snapshotted, test
logits at the end. The run's train/validation/test ids come from OUT/split.json, written by the C#
side, so both sides train on the same utterances. Needs only torch and numpy (Debian python3-torch).
"""
import json
import math
import os
import random
import statistics
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pytorch_blas import blas_in_use  # noqa: E402

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {"F16": np.float16, "F32": np.float32, "I64": np.int64}
CLASSES = {"ang": 0, "hap": 1, "sad": 2, "neu": 3}           # Emotion: Angry, Happy, Sad, Neutral
STREAMS = {"T": "text", "F": "frame", "P": "phone", "S": "syllable", "W": "word"}
BATCH, DROPOUT, BRANCH_WIDTH, HEADS, FF_MULT, COATT_LAYERS = 32, 0.2, 128, 8, 4, 3
LR = {"linear": 1e-3, "late": 1e-3, "coattention": 5e-5}
EPSILON = 1e-5


# ---- the store (numpy reader of docs/feature-store.md) ------------------------------------------

def read_header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n)), 8 + n


def load_store(store, names):
    """{id: {name: float16/32 array (L, N, H)}} for the labelled utterances, as stored (like FeatureCache)."""
    manifest = json.loads((Path(store) / "manifest.json").read_text())
    description = manifest["description"]
    by_shard = {}
    for u in manifest["utterances"]:
        if u.get("label") in CLASSES:
            by_shard.setdefault(u["shard"], []).append(u)
    data, labels, lengths = {}, {}, {}
    for shard, entries in by_shard.items():
        path = Path(store) / shard
        header, start = read_header(path)
        raw = np.memmap(path, dtype=np.uint8, mode="r")
        for u in entries:
            streams = {}
            for name in names:
                source = name if name in u["lengths"] else "frame"       # no alignment: F stands in for P/S/W
                t = header[f"{u['id']}/{source}"]
                b, e = t["data_offsets"]
                streams[name] = np.array(raw[start + b:start + e]).view(DTYPES[t["dtype"]]).reshape(t["shape"])
            data[u["id"]] = streams
            labels[u["id"]] = CLASSES[u["label"]]
            lengths[u["id"]] = {name: streams[name].shape[1] for name in names}
    return description, data, labels, lengths


# ---- the models (src/Models/Fusion) ---------------------------------------------------------------

def masked_mean(x, mask):                                    # MaskedMean.Apply
    valid = mask.unsqueeze(-1)
    total = x.masked_fill(~valid, 0).sum(1)
    count = valid.sum(1).to(x.dtype).clamp_min(1)
    return total / count


class LayerWeighting(nn.Module):                            # |w| / sum |w|, then LayerNorm
    def __init__(self, layers, width):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(layers))
        self.norm = nn.LayerNorm(width)

    def forward(self, values, mask):                        # (B, L, N, H), (B, N) -> (B, N, H)
        padded = (~mask).unsqueeze(-1)
        clean = values.masked_fill(padded.unsqueeze(1), 0)
        w = self.weight.abs() / self.weight.abs().sum().clamp_min(1e-12)
        mixed = torch.einsum("blnh,l->bnh", clean, w)
        return self.norm(mixed).masked_fill(padded, 0)


class Branch(nn.Module):                                    # Linear-ReLU-Dropout x2, GA, Linear
    def __init__(self, width):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(width, BRANCH_WIDTH), nn.Linear(BRANCH_WIDTH, BRANCH_WIDTH)
        self.dropout1, self.dropout2 = nn.Dropout(DROPOUT), nn.Dropout(DROPOUT)
        self.output = nn.Linear(BRANCH_WIDTH, 4)

    def forward(self, u, mask):
        h = self.dropout1(F.relu(self.fc1(u)))
        l = self.dropout2(F.relu(self.fc2(h)))
        return self.output(masked_mean(l, mask))


class LateFusion(nn.Module):
    def __init__(self, shapes):
        super().__init__()
        self.streams = list(shapes)
        self.weighting = nn.ModuleDict({s: LayerWeighting(*shapes[s]) for s in self.streams})
        self.branch = nn.ModuleDict({s: Branch(shapes[s][1]) for s in self.streams})

    def forward(self, batch):
        total = None
        for s in self.streams:
            values, mask = batch[s]
            logits = self.branch[s](self.weighting[s](values, mask), mask)
            total = logits if total is None else total + logits
        return total


class MultiHeadAttention(nn.Module):                        # written out as in MultiHeadAttention.cs
    def __init__(self, width):
        super().__init__()
        self.query, self.key, self.value, self.output = (nn.Linear(width, width) for _ in range(4))
        self.dropout = nn.Dropout(DROPOUT)

    def forward(self, queries, kv, key_mask):
        b, nq, d = queries.shape
        nk, hs = kv.shape[1], d // HEADS
        q = self.query(queries).view(b, nq, HEADS, hs).transpose(1, 2)
        k = self.key(kv).view(b, nk, HEADS, hs).transpose(1, 2)
        v = self.value(kv).view(b, nk, HEADS, hs).transpose(1, 2)
        padded = (~key_mask).view(b, 1, 1, nk)
        scores = (q.matmul(k.transpose(-2, -1)) / math.sqrt(hs)).masked_fill(padded, torch.finfo(queries.dtype).min)
        weights = self.dropout(F.softmax(scores, dim=-1))
        return self.output(weights.matmul(v).transpose(1, 2).reshape(b, nq, d))


class EncoderLayer(nn.Module):                              # post-LN, cross-modal attention
    def __init__(self, width):
        super().__init__()
        self.attention = MultiHeadAttention(width)
        self.dropout1, self.dropout, self.dropout2 = nn.Dropout(DROPOUT), nn.Dropout(DROPOUT), nn.Dropout(DROPOUT)
        self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.linear1, self.linear2 = nn.Linear(width, FF_MULT * width), nn.Linear(FF_MULT * width, width)

    def forward(self, x, mask, context, context_mask):
        a = self.norm1(x + self.dropout1(self.attention(x, context, context_mask)))
        f = self.linear2(self.dropout(F.relu(self.linear1(a))))
        y = self.norm2(a + self.dropout2(f))
        return y.masked_fill((~mask).unsqueeze(-1), 0)


class CoattentionLayer(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.text, self.speech = EncoderLayer(width), EncoderLayer(width)

    def forward(self, t, t_mask, s, s_mask):
        return self.text(t, t_mask, s, s_mask), self.speech(s, s_mask, t, t_mask)


class CoattentionBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.layers = nn.ModuleList(CoattentionLayer(width) for _ in range(COATT_LAYERS))

    def forward(self, t, t_mask, s, s_mask):
        for layer in self.layers:
            t, s = layer(t, t_mask, s, s_mask)
        return (masked_mean(t, t_mask) + masked_mean(s, s_mask)) / 2


class CoattentionFusion(nn.Module):
    def __init__(self, shapes):
        super().__init__()
        self.speech = [s for s in shapes if s != "text"]
        width = shapes["text"][1]
        self.text_weighting = nn.ModuleDict({s: LayerWeighting(*shapes["text"]) for s in self.speech})
        self.speech_weighting = nn.ModuleDict({s: LayerWeighting(*shapes[s]) for s in self.speech})
        self.projection = nn.ModuleDict({s: nn.Identity() if shapes[s][1] == width else nn.Linear(shapes[s][1], width) for s in self.speech})
        self.block = nn.ModuleDict({s: CoattentionBlock(width) for s in self.speech})
        joint = len(self.speech) * width
        self.fc, self.dropout, self.norm, self.output = nn.Linear(joint, joint), nn.Dropout(DROPOUT), nn.LayerNorm(joint), nn.Linear(joint, 4)

    def forward(self, batch):
        text, text_mask = batch["text"]
        pooled = []
        for s in self.speech:
            values, mask = batch[s]
            t = self.text_weighting[s](text, text_mask)
            u = self.projection[s](self.speech_weighting[s](values, mask))
            pooled.append(self.block[s](t, text_mask, u, mask))
        c = torch.cat(pooled, 1)
        g = self.norm(self.dropout(F.relu(self.fc(c))) + c)
        return self.output(g)


# ---- training (src/Models/Training/RunTrainer) ----------------------------------------------------

def fit_standardizer(data, ids, name):
    """Per (layer, dim) mean and population std over every element of the training split (float64,
    merged one utterance at a time as StreamStatistics does)."""
    mean = m2 = None
    count = 0
    for i in ids:
        x = torch.from_numpy(data[i][name]).to(torch.float64)
        n = x.shape[1]
        bm = x.mean(1)
        bd = (x - bm.unsqueeze(1)).square().sum(1)
        if mean is None:
            mean, m2 = bm, bd
        else:
            total = count + n
            delta = bm - mean
            mean = mean + delta * (n / total)
            m2 = m2 + bd + delta.square() * (count * n / total)
        count += n
    return mean.float(), (m2 / count).sqrt().float()


def collate(arrays):                                         # StreamCollator.Collate + Standardizer.Apply
    lengths = [a.shape[1] for a in arrays]
    sequences = [torch.from_numpy(a).float().transpose(0, 1) for a in arrays]   # FeatureCache.Read gives float32
    padded = nn.utils.rnn.pad_sequence(sequences, batch_first=True)
    values = padded.permute(0, 2, 1, 3).float().contiguous()
    mask = torch.arange(padded.shape[1]).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
    return values, mask


def read_batch(data, labels, ids, names, standardizers):
    batch = {}
    for name in names:
        values, mask = collate([data[i][name] for i in ids])
        mean, std = standardizers[name]
        values = ((values - mean.unsqueeze(1)) / (std + EPSILON).unsqueeze(1)).masked_fill((~mask).unsqueeze(1).unsqueeze(-1), 0)
        batch[name] = (values, mask)
    return batch, torch.tensor([labels[i] for i in ids], dtype=torch.int64)


def shuffled(ids, rng):
    """EpochBatches.Draw with BatchOrder.Shuffled: the split shuffled, cut into batches in that order."""
    order = list(ids)
    rng.shuffle(order)
    return [order[b:b + BATCH] for b in range(0, len(order), BATCH)]


def sorted_batches(ids, length):
    order = sorted(sorted(ids), key=length, reverse=True)
    return [order[b:b + BATCH] for b in range(0, len(order), BATCH)]


def unweighted_accuracy(logits, labels, ids):
    predicted = np.array([int(np.argmax(logits[i])) for i in ids])
    truth = np.array([labels[i] for i in ids])
    recalls = [(predicted[truth == c] == c).mean() for c in range(4) if (truth == c).any()]
    return float(np.mean(recalls))


def predict(model, data, labels, batches, names, standardizers):
    model.eval()
    out = {}
    with torch.no_grad():
        for ids in batches:
            batch, _ = read_batch(data, labels, ids, names, standardizers)
            values = model(batch).numpy()
            for b, i in enumerate(ids):
                out[i] = values[b]
    return out


def build(model, shapes):
    return LateFusion(shapes) if model in ("linear", "late") else CoattentionFusion(shapes)   # linear: LateFusion of one stream, as FusionModels.Create


def run(model_name, names, shapes, data, labels, split, epochs, seed):
    """One run as RunTrainer.Run: returns (per-epoch training seconds, run seconds, best validation UA)."""
    clock = time.perf_counter()
    rng = random.Random(seed)
    torch.manual_seed(seed)
    train, validation, test = split["train"], split["validation"], split["test"]
    standardizers = {n: fit_standardizer(data, train, n) for n in names}
    model = build(model_name, shapes)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR[model_name])
    length = lambda i: max(data[i][n].shape[1] for n in names)
    epoch_seconds, best, best_ua = [], None, -math.inf
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        total = torch.zeros(1)
        for ids in shuffled(train, rng):
            batch, target = read_batch(data, labels, ids, names, standardizers)
            loss = F.cross_entropy(model(batch), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.detach() * len(ids)
        total.item()
        epoch_seconds.append(time.perf_counter() - start)
        ua = unweighted_accuracy(predict(model, data, labels, sorted_batches(validation, length), names, standardizers), labels, validation)
        if ua > best_ua:
            best_ua, best = ua, {k: v.detach().clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best)
    predict(model, data, labels, sorted_batches(test, length), names, standardizers)
    return epoch_seconds, time.perf_counter() - clock, best_ua


def profile(model_name, names, shapes, data, labels, split, seed):
    """One training epoch with batch reading, forward + loss, backward and the Adam step timed apart."""
    torch.manual_seed(seed)
    train = split["train"]
    standardizers = {n: fit_standardizer(data, train, n) for n in names}
    model = build(model_name, shapes)
    parameters = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.Adam(model.parameters(), lr=LR[model_name])
    seconds = dict(read=0.0, forward=0.0, backward=0.0, step=0.0)
    model.train()
    for ids in shuffled(train, random.Random(seed)):
        t0 = time.perf_counter()
        batch, target = read_batch(data, labels, ids, names, standardizers)
        t1 = time.perf_counter()
        loss = F.cross_entropy(model(batch), target)
        t2 = time.perf_counter()
        optimizer.zero_grad()
        loss.backward()
        t3 = time.perf_counter()
        optimizer.step()
        t4 = time.perf_counter()
        for key, s in zip(seconds, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            seconds[key] += s
    return parameters, seconds


def bench(store, out, threads, epochs, configs):
    torch.set_num_threads(threads)
    blas = blas_in_use()
    print(f"pytorch {torch.__version__}, {threads} thread(s), BLAS: {blas}")
    split = json.loads((Path(out) / "split.json").read_text())
    parsed = []
    for config in configs:
        model_name, letters = config.split(":")
        parsed.append((config, model_name, [STREAMS[l] for l in letters.split("+")]))
    names = sorted({n for _, _, ns in parsed for n in ns}, key=list(STREAMS.values()).index)
    start = time.perf_counter()
    description, data, labels, _ = load_store(store, names)
    print(f"pytorch: {len(data)} utterances loaded in {time.perf_counter() - start:.1f} s; "
          f"{len(split['train'])} train; {threads} thread(s), {epochs} epochs")
    for config, model_name, stream_names in parsed:
        shapes = {n: (len(description["text_layers"] if n == "text" else description["speech_layers"]),
                      description["text_width" if n == "text" else "speech_width"]) for n in stream_names}
        run(model_name, stream_names, shapes, data, labels, split, 1, 1)             # warm-up, excluded
        load = os.getloadavg()[0]
        cpu = time.process_time()
        epoch_seconds, run_seconds, best_ua = run(model_name, stream_names, shapes, data, labels, split, epochs, 2)
        run_cpu_seconds = time.process_time() - cpu
        parameters, phases = profile(model_name, stream_names, shapes, data, labels, split, 3)
        line = dict(side="pytorch", version=f"PyTorch {torch.__version__}", config=config, threads=threads,
                    epochs=epochs, train=len(split["train"]), parameters=parameters,
                    samples_per_second=len(split["train"]) * epochs / sum(epoch_seconds),
                    epoch_seconds=epoch_seconds, train_seconds=sum(epoch_seconds), run_seconds=run_seconds,
                    run_cpu_seconds=run_cpu_seconds, validation_ua=best_ua, profile=phases,
                    blas=blas, load=[load, os.getloadavg()[0]])
        with open(Path(out) / "results.jsonl", "a") as f:
            f.write(json.dumps(line) + "\n")
        print(f"pytorch {config:<16} {parameters:>9,} params  {line['samples_per_second']:8.1f} samples/s  "
              f"{statistics.mean(epoch_seconds):6.2f} s/epoch  {run_seconds:7.1f} s/run  profile: "
              + " ".join(f"{k} {v:.2f}" for k, v in zip(("read", "fwd", "bwd", "step"), phases.values())) + " s")


def table(out):
    rows = [json.loads(l) for l in (Path(out) / "results.jsonl").read_text().splitlines() if l.strip()]
    keys = sorted({(r["config"], r["threads"]) for r in rows}, key=lambda k: (k[1], k[0]))
    for blas in sorted({r.get("blas", "not recorded") for r in rows if r["side"] == "pytorch"}):
        print(f"reference: {next(r['version'] for r in rows if r['side'] == 'pytorch')}, BLAS {blas}")
    loads = [l for r in rows if "load" in r for l in r["load"]]
    if loads:
        print(f"1-min load average at the start/end of the PyTorch runs: {min(loads):.1f} to {max(loads):.1f}")
    print(f"{'config':<18}{'thr':>4}{'params ours/pt':>22}{'ours samples/s':>16}{'pytorch samples/s':>19}{'ratio':>8}"
          f"{'ours s/epoch':>14}{'pt s/epoch':>12}{'ours s/run':>12}{'pt s/run':>10}{'cpu ratio':>11}  rounds")
    for config, threads in keys:
        side = {s: [r for r in rows if r["config"] == config and r["threads"] == threads and r["side"] == s] for s in ("ours", "pytorch")}
        if not side["ours"] or not side["pytorch"]:
            continue
        med = lambda s, k: statistics.median(r[k] for r in side[s])
        sps = {s: med(s, "samples_per_second") for s in side}
        epoch = {s: statistics.median(r["train_seconds"] / r["epochs"] for r in side[s]) for s in side}
        params = f"{side['ours'][0]['parameters']:,}/{side['pytorch'][0]['parameters']:,}"
        rounds = "ours " + "/".join(f"{r['samples_per_second']:.0f}" for r in side["ours"]) + \
                 ", pt " + "/".join(f"{r['samples_per_second']:.0f}" for r in side["pytorch"])
        print(f"{config:<18}{threads:>4}{params:>22}{sps['ours']:>16.1f}{sps['pytorch']:>19.1f}{sps['ours'] / sps['pytorch']:>7.2f}x"
              f"{epoch['ours']:>14.2f}{epoch['pytorch']:>12.2f}{med('ours', 'run_seconds'):>12.1f}{med('pytorch', 'run_seconds'):>10.1f}"
              f"{med('pytorch', 'run_cpu_seconds') / med('ours', 'run_cpu_seconds'):>10.2f}x  {rounds}")
        for s in ("ours", "pytorch"):
            phases = {k: statistics.median(r["profile"][k] for r in side[s]) for k in ("read", "forward", "backward", "step")}
            total = sum(phases.values())
            print(f"    profile epoch {s:<8}" + "  ".join(f"{k} {v:.2f} s ({v / total:.0%})" for k, v in phases.items()))
        if side["ours"][0]["parameters"] != side["pytorch"][0]["parameters"]:
            print(f"    PARAMETER COUNTS DIFFER for {config}")


def ops(store, out, threads, config, rows=30):
    """Per-op profile of one training epoch (torch.autograd.profiler): self CPU time per ATen op."""
    torch.set_num_threads(threads)
    print(f"pytorch {torch.__version__}, {threads} thread(s), BLAS: {blas_in_use()}")
    split = json.loads((Path(out) / "split.json").read_text())
    model_name, letters = config.split(":")
    names = [STREAMS[l] for l in letters.split("+")]
    description, data, labels, _ = load_store(store, names)
    shapes = {n: (len(description["text_layers"] if n == "text" else description["speech_layers"]),
                  description["text_width" if n == "text" else "speech_width"]) for n in names}
    profile(model_name, names, shapes, data, labels, split, 3)                        # warm-up, excluded
    with torch.autograd.profiler.profile() as prof:
        _, phases = profile(model_name, names, shapes, data, labels, split, 3)
    print(f"{config}: one epoch, phases " + " ".join(f"{k} {v:.2f} s" for k, v in phases.items()))
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=rows))


def matmul(threads):
    """The probe Training.Bench's "matmul" mirrors: a branch's first layer on 32 x 300 frames."""
    torch.set_num_threads(threads)
    x, w = torch.randn(32 * 300, 64), torch.randn(128, 64)
    x @ w.t()
    start = time.perf_counter()
    for _ in range(20):
        x @ w.t()
    ms = (time.perf_counter() - start) / 20 * 1e3
    print(f"pytorch matmul 9600x64 @ 64x128: {ms:.2f} ms, {2 * 9600 * 64 * 128 / ms / 1e6:.1f} GFLOP/s")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "matmul":
        matmul(int(sys.argv[2]))
        sys.exit(0)
    if len(sys.argv) == 6 and sys.argv[1] == "ops":
        ops(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        sys.exit(0)
    if len(sys.argv) >= 7 and sys.argv[1] == "bench":
        bench(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6:])
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        table(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
