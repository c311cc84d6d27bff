#!/usr/bin/python3
"""PyTorch side of the feature-extraction benchmark (bench/run-features.sh).

  bench DIR THREADS   extracts the utterances of DIR/inputs.json as our FeatureExtractor does: read the
                      wav (wave + numpy), normalise, wav2vec2-base (all hidden states), keep 1..12, pool
                      phones/syllables/words as the mean of their frames, BERT on the token ids, drop
                      [CLS]/[SEP], keep 1..12, write F16 safetensors shards (numpy); appends a JSON line
                      to DIR/features-results.jsonl
  compare DIR         max |ours - PyTorch| per stream over every utterance (both stores F16)
  table DIR           medians of the rounds and the ratio

Same weights as ours (DIR/wav2vec2-base, DIR/bert-base*), same models (bench/Encoders/pytorch_reference.py,
imported). The token ids and the segments' frame ranges come from DIR/inputs.json, written by our side
before any timing (Features.Bench prepare), so both sides do the same compute: the tokenizer and the
centre rule are not timed on the PyTorch side (both are negligible beside the encoders).
"""
import json, os, struct, sys, time, wave
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Encoders"))
import pytorch_reference as ref  # noqa: E402
from pytorch_blas import blas_in_use  # noqa: E402

LAYERS = slice(1, 13)                 # hidden_states[1..12]
SHARD_BYTES = 256 << 20               # as StoreWriterOptions' default
STREAMS = ("text", "frame", "phone", "syllable", "word")


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getframerate() == 16000, (path, w.getsampwidth(), w.getframerate())
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        return x.reshape(-1, w.getnchannels()).mean(axis=1) if w.getnchannels() > 1 else x


def write_shard(path, tensors):
    """tensors: list of (name, numpy array); F16 or I64, safetensors layout, header padded to 8 bytes."""
    header, offset = {}, 0
    for name, a in tensors:
        header[name] = {"dtype": {np.float16: "F16", np.int64: "I64"}[a.dtype.type], "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    header["__metadata__"] = {"format": "pytorch-reference-shard"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for _, a in tensors: f.write(np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<"), copy=False).tobytes())
        f.flush(); os.fsync(f.fileno())
    os.replace(path + ".tmp", path)


def load_models(root):
    ww = ref.read_safetensors(os.path.join(root, "wav2vec2-base", "model.safetensors"))
    v, g = ww["encoder.pos_conv_embed.conv.weight_v"], ww["encoder.pos_conv_embed.conv.weight_g"]
    ww["pos_conv_weight"] = g * v / v.norm(dim=(0, 1), keepdim=True)
    bw = ref.read_safetensors(os.path.join(root, "bert-base", "model.safetensors"))
    return ww, bw


def extract(ww, bw, u):
    """One utterance's streams as (name, array) pairs, F16 embeddings, I64 frame ranges."""
    x = torch.from_numpy(ref.normalize(read_wav(u["wav"])))
    states = ref.w2v_forward(ww, x)[LAYERS]                                   # (12, T, 768)
    assert states.shape[1] == u["frames"], (u["id"], states.shape, u["frames"])
    out = []
    ids = torch.tensor([u["input_ids"]])
    text = ref.bert_forward(bw, ids)[LAYERS][:, 1:-1] if ids.shape[1] > 2 else ref.bert_forward(bw, ids)[LAYERS]
    out.append((f"{u['id']}/text", text.numpy().astype(np.float16)))
    out.append((f"{u['id']}/frame", states.numpy().astype(np.float16)))
    for kind in ("phone", "syllable", "word"):
        ranges = u["segments"][kind]
        if not ranges: continue
        pooled = torch.stack([states[:, a:b + 1].mean(dim=1) for a, b in ranges], dim=1)   # (12, N, 768)
        out.append((f"{u['id']}/{kind}", pooled.numpy().astype(np.float16)))
        out.append((f"{u['id']}/{kind}_frames", np.array(ranges, dtype=np.int64)))
    return out


def bench(root, threads):
    torch.set_num_threads(threads)
    blas, load = blas_in_use(), os.getloadavg()
    print(f"pytorch {torch.__version__}, {threads} thread(s), BLAS: {blas}")
    ww, bw = load_models(root)
    inputs = json.load(open(os.path.join(root, "inputs.json")))
    store = os.path.join(root, "store-pytorch")
    os.makedirs(store, exist_ok=True)
    for f in os.listdir(store): os.remove(os.path.join(store, f))
    with torch.inference_mode():
        extract(ww, bw, inputs[0])                                           # warm-up (excluded)
        t0 = time.perf_counter()
        buffer, size, shard, audio = [], 0, 0, 0.0
        for u in inputs:
            tensors = extract(ww, bw, u)
            audio += wave.open(u["wav"]).getnframes() / 16000.0
            buffer += tensors; size += sum(a.nbytes for _, a in tensors)
            if size >= SHARD_BYTES:
                write_shard(os.path.join(store, f"{shard:06d}.safetensors"), buffer); shard += 1; buffer, size = [], 0
        if buffer: write_shard(os.path.join(store, f"{shard:06d}.safetensors"), buffer)
        wall = time.perf_counter() - t0
    r = {"side": "pytorch", "version": torch.__version__, "threads": threads, "utterances": len(inputs),
         "audio_seconds": audio, "wall": wall, "store_bytes": sum(os.path.getsize(os.path.join(store, f)) for f in os.listdir(store)),
         "blas": blas, "load": [load[0], os.getloadavg()[0]]}
    with open(os.path.join(root, "features-results.jsonl"), "a") as f: f.write(json.dumps(r) + "\n")
    print(f"pytorch {torch.__version__}: {len(inputs)} utterances, {audio:.1f} audio s in {wall:.1f} s: "
          f"{len(inputs) / wall:.2f} utt/s, {audio / wall:.2f} audio s/s")


def read_shards(folder):
    """name -> float32/int64 array over every shard of a folder (ours: folder/shards)."""
    out = {}
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".safetensors"): continue
        path = os.path.join(folder, f)
        with open(path, "rb") as h:
            n = struct.unpack("<Q", h.read(8))[0]; header = json.loads(h.read(n)); data = h.read()
        for name, m in header.items():
            if name == "__metadata__": continue
            a, b = m["data_offsets"]
            dt = {"F16": "<f2", "F32": "<f4", "I64": "<i8"}[m["dtype"]]
            out[name] = np.frombuffer(data[a:b], dtype=dt).reshape(m["shape"])
    return out


def compare(root):
    ours, theirs = read_shards(os.path.join(root, "store-ours", "shards")), read_shards(os.path.join(root, "store-pytorch"))
    assert sorted(ours) == sorted(theirs), (sorted(set(ours) ^ set(theirs)))[:5]
    for stream in STREAMS + tuple(k + "_frames" for k in ("phone", "syllable", "word")):
        names = [n for n in ours if n.split("/", 1)[1] == stream]
        diff = max(float(np.abs(ours[n].astype(np.float64) - theirs[n].astype(np.float64)).max()) for n in names)
        scale = max(float(np.abs(theirs[n].astype(np.float64)).max()) for n in names)
        print(f"{stream:16} {len(names):4} utterances, max |ours - pytorch| = {diff:.3g} (max |value| {scale:.3g})")


def table(root):
    rows = [json.loads(l) for l in open(os.path.join(root, "features-results.jsonl"))]
    def median(xs):
        xs = sorted(xs); n = len(xs)
        return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
    sides = {s: [r for r in rows if r["side"] == s] for s in ("ours", "pytorch")}
    for r in sides["pytorch"]:
        print(f"reference: PyTorch {r['version']}, {r['threads']} thread(s), BLAS {r.get('blas', 'not recorded')}")
    print("1-min load at start/end of each PyTorch round: " + ", ".join("/".join(f"{x:.1f}" for x in r["load"]) for r in rows if "load" in r))
    print(f"{'':16}{'ours (TorchSharp)':>20}{'PyTorch':>14}{'ratio':>8}")
    for key, label in (("utterances", "utterances/s"), ("audio_seconds", "audio s/s")):
        o = [r[key] / r["wall"] for r in sides["ours"]]; p = [r[key] / r["wall"] for r in sides["pytorch"]]
        print(f"{label:16}{median(o):20.3f}{median(p):14.3f}{median(o) / median(p):8.2f}   "
              f"rounds ours {[round(x, 3) for x in o]} pytorch {[round(x, 3) for x in p]}")
    r = sides["ours"][0]
    print(f"N = {r['utterances']} utterances, {r['audio_seconds']:.1f} s of audio, {r['threads']} threads; "
          f"store bytes ours {r['store_bytes']}, pytorch {sides['pytorch'][0]['store_bytes']}")


if __name__ == "__main__":
    cmd, root = sys.argv[1], sys.argv[2]
    {"bench": lambda: bench(root, int(sys.argv[3])), "compare": lambda: compare(root), "table": lambda: table(root)}[cmd]()
