#!/usr/bin/python3
"""PyTorch side of the encoder benchmark (bench/run-encoders.sh).

  generate DIR   random-initialised wav2vec2-base and bert-base checkpoint folders (config.json,
                 model.safetensors written by hand, vocab.txt) and the shared inputs
  bench DIR N    times the same forward passes in plain PyTorch with N threads; appends a JSON
                 line to DIR/results.jsonl and writes the first input's last hidden states
  compare DIR    max abs difference between our and PyTorch's last hidden states

No transformers / safetensors packages needed: the two architectures are written out below in
plain torch, following HF's Wav2Vec2Model (group-norm "base" family) and BertModel (eval mode).
"""
import json, math, os, struct, sys, time
import numpy as np
import torch
import torch.nn.functional as F
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pytorch_blas import blas_in_use  # noqa: E402

SEED = 1234
N_UTT, N_TXT = 10, 32

W2V_CONFIG = {
    "architectures": ["Wav2Vec2Model"], "model_type": "wav2vec2",
    "conv_bias": False, "conv_dim": [512] * 7, "conv_kernel": [10, 3, 3, 3, 3, 2, 2],
    "conv_stride": [5, 2, 2, 2, 2, 2, 2], "do_stable_layer_norm": False,
    "feat_extract_activation": "gelu", "feat_extract_norm": "group", "hidden_act": "gelu",
    "hidden_size": 768, "intermediate_size": 3072, "layer_norm_eps": 1e-05,
    "num_attention_heads": 12, "num_hidden_layers": 12, "num_conv_pos_embedding_groups": 16,
    "num_conv_pos_embeddings": 128, "num_feat_extract_layers": 7, "vocab_size": 32,
    "torch_dtype": "float32",
}
PREPROCESSOR = {"do_normalize": True, "feature_extractor_type": "Wav2Vec2FeatureExtractor",
                "feature_size": 1, "padding_side": "right", "padding_value": 0.0,
                "return_attention_mask": False, "sampling_rate": 16000}
BERT_CONFIG = {
    "architectures": ["BertModel"], "model_type": "bert", "attention_probs_dropout_prob": 0.1,
    "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768,
    "initializer_range": 0.02, "intermediate_size": 3072, "layer_norm_eps": 1e-12,
    "max_position_embeddings": 512, "num_attention_heads": 12, "num_hidden_layers": 12,
    "pad_token_id": 0, "position_embedding_type": "absolute", "type_vocab_size": 2,
    "vocab_size": 30522, "torch_dtype": "float32",
}


def vocab():
    # bert-base-uncased layout of the special tokens, synthetic words elsewhere
    words = [f"w{i}" for i in range(30522)]
    words[0], words[100], words[101], words[102], words[103] = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
    return words


# ---------- safetensors by hand ----------
def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        t = tensors[name].detach().to(torch.float32).contiguous()
        b = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b); blobs.append(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for b in blobs: f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n)); data = f.read()
    out = {}
    for name, m in header.items():
        if name == "__metadata__": continue
        a, b = m["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").copy()).reshape(m["shape"])
    return out


# ---------- random weights (HF-like init) ----------
def gen_w2v(g):
    c, H, I, L = W2V_CONFIG, 768, 3072, 12
    w = {}
    nrm = lambda *s, std=0.02: torch.randn(*s, generator=g) * std
    cin = 1
    for i, (d, k) in enumerate(zip(c["conv_dim"], c["conv_kernel"])):
        w[f"feature_extractor.conv_layers.{i}.conv.weight"] = torch.randn(d, cin, k, generator=g) * math.sqrt(2.0 / (cin * k))
        cin = d
    w["feature_extractor.conv_layers.0.layer_norm.weight"] = torch.ones(512)
    w["feature_extractor.conv_layers.0.layer_norm.bias"] = torch.zeros(512)
    w["feature_projection.layer_norm.weight"] = torch.ones(512)
    w["feature_projection.layer_norm.bias"] = torch.zeros(512)
    w["feature_projection.projection.weight"] = nrm(H, 512)
    w["feature_projection.projection.bias"] = torch.zeros(H)
    w["masked_spec_embed"] = torch.rand(H, generator=g)
    w["encoder.pos_conv_embed.conv.weight_v"] = torch.randn(H, H // 16, 128, generator=g) * math.sqrt(2.0 / (128 * H / 16))
    w["encoder.pos_conv_embed.conv.weight_g"] = w["encoder.pos_conv_embed.conv.weight_v"].norm(dim=(0, 1), keepdim=True)
    w["encoder.pos_conv_embed.conv.bias"] = torch.zeros(H)
    w["encoder.layer_norm.weight"] = torch.ones(H); w["encoder.layer_norm.bias"] = torch.zeros(H)
    for l in range(L):
        p = f"encoder.layers.{l}."
        for n in ("q_proj", "k_proj", "v_proj", "out_proj"):
            w[p + f"attention.{n}.weight"] = nrm(H, H); w[p + f"attention.{n}.bias"] = nrm(H)
        w[p + "feed_forward.intermediate_dense.weight"] = nrm(I, H); w[p + "feed_forward.intermediate_dense.bias"] = nrm(I)
        w[p + "feed_forward.output_dense.weight"] = nrm(H, I); w[p + "feed_forward.output_dense.bias"] = nrm(H)
        for n in ("layer_norm", "final_layer_norm"):
            w[p + n + ".weight"] = torch.ones(H); w[p + n + ".bias"] = torch.zeros(H)
    return w


def gen_bert(g):
    H, I, L = 768, 3072, 12
    nrm = lambda *s: torch.randn(*s, generator=g) * 0.02
    w = {"embeddings.word_embeddings.weight": nrm(30522, H), "embeddings.position_embeddings.weight": nrm(512, H),
         "embeddings.token_type_embeddings.weight": nrm(2, H),
         "embeddings.LayerNorm.weight": torch.ones(H), "embeddings.LayerNorm.bias": torch.zeros(H),
         "pooler.dense.weight": nrm(H, H), "pooler.dense.bias": torch.zeros(H)}
    for l in range(L):
        p = f"encoder.layer.{l}."
        for n in ("query", "key", "value"):
            w[p + f"attention.self.{n}.weight"] = nrm(H, H); w[p + f"attention.self.{n}.bias"] = nrm(H)
        w[p + "attention.output.dense.weight"] = nrm(H, H); w[p + "attention.output.dense.bias"] = nrm(H)
        w[p + "intermediate.dense.weight"] = nrm(I, H); w[p + "intermediate.dense.bias"] = nrm(I)
        w[p + "output.dense.weight"] = nrm(H, I); w[p + "output.dense.bias"] = nrm(H)
        for n in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + n + ".weight"] = torch.ones(H); w[p + n + ".bias"] = torch.zeros(H)
    return w


def generate(root):
    g = torch.Generator().manual_seed(SEED)
    w2v, bert = os.path.join(root, "wav2vec2-base"), os.path.join(root, "bert-base")
    os.makedirs(w2v, exist_ok=True); os.makedirs(bert, exist_ok=True)
    json.dump(W2V_CONFIG, open(os.path.join(w2v, "config.json"), "w"), indent=2)
    json.dump(PREPROCESSOR, open(os.path.join(w2v, "preprocessor_config.json"), "w"), indent=2)
    ww = gen_w2v(g); write_safetensors(os.path.join(w2v, "model.safetensors"), ww)
    json.dump(BERT_CONFIG, open(os.path.join(bert, "config.json"), "w"), indent=2)
    json.dump({"do_lower_case": True}, open(os.path.join(bert, "tokenizer_config.json"), "w"))
    open(os.path.join(bert, "vocab.txt"), "w").write("\n".join(vocab()) + "\n")
    bw = gen_bert(g); write_safetensors(os.path.join(bert, "model.safetensors"), bw)
    print(f"wav2vec2-base: {sum(t.numel() for k, t in ww.items() if k != 'encoder.pos_conv_embed.conv.weight_g') / 1e6:.1f}M parameters; "
          f"bert-base: {sum(t.numel() for t in bw.values()) / 1e6:.1f}M parameters")
    # inputs: N_UTT utterances of 2-8 s at 16 kHz (one float32 file each), N_TXT texts of 28-118 words
    rng = np.random.default_rng(SEED)
    inp = os.path.join(root, "inputs"); os.makedirs(inp, exist_ok=True)
    for i in range(N_UTT):
        secs = 2.0 + 6.0 * i / max(1, N_UTT - 1)
        (rng.standard_normal(int(secs * 16000)).astype("<f4") * 0.1).tofile(os.path.join(inp, f"utt{i:02d}.f32"))
    with open(os.path.join(inp, "texts.txt"), "w") as f:
        for i in range(N_TXT):
            n = int(rng.integers(28, 119))
            f.write(" ".join(f"w{int(x)}" for x in rng.integers(1000, 30522, n)) + "\n")


# ---------- plain-torch forward passes ----------
def w2v_forward(w, x):
    H, nh = 768, 12
    h = x[None, None, :]                                           # (1, 1, S)
    for i, s in enumerate(W2V_CONFIG["conv_stride"]):
        h = F.conv1d(h, w[f"feature_extractor.conv_layers.{i}.conv.weight"], stride=s)
        if i == 0:
            h = F.group_norm(h, 512, w["feature_extractor.conv_layers.0.layer_norm.weight"], w["feature_extractor.conv_layers.0.layer_norm.bias"], 1e-5)
        h = F.gelu(h)
    h = h.transpose(1, 2)                                          # (1, T, 512)
    h = F.layer_norm(h, (512,), w["feature_projection.layer_norm.weight"], w["feature_projection.layer_norm.bias"], 1e-5)
    h = F.linear(h, w["feature_projection.projection.weight"], w["feature_projection.projection.bias"])
    pos = F.conv1d(h.transpose(1, 2), w["pos_conv_weight"], w["encoder.pos_conv_embed.conv.bias"], padding=64, groups=16)
    pos = F.gelu(pos[:, :, :-1]).transpose(1, 2)
    h = F.layer_norm(h + pos, (H,), w["encoder.layer_norm.weight"], w["encoder.layer_norm.bias"], 1e-5)
    states = [h]
    T, d = h.shape[1], H // nh
    for l in range(12):
        p = f"encoder.layers.{l}."
        q = F.linear(h, w[p + "attention.q_proj.weight"], w[p + "attention.q_proj.bias"]) * d ** -0.5
        k = F.linear(h, w[p + "attention.k_proj.weight"], w[p + "attention.k_proj.bias"])
        v = F.linear(h, w[p + "attention.v_proj.weight"], w[p + "attention.v_proj.bias"])
        q, k, v = (t.view(1, T, nh, d).transpose(1, 2) for t in (q, k, v))
        a = torch.softmax(q @ k.transpose(-1, -2), dim=-1) @ v
        a = F.linear(a.transpose(1, 2).reshape(1, T, H), w[p + "attention.out_proj.weight"], w[p + "attention.out_proj.bias"])
        h = F.layer_norm(h + a, (H,), w[p + "layer_norm.weight"], w[p + "layer_norm.bias"], 1e-5)
        f = F.gelu(F.linear(h, w[p + "feed_forward.intermediate_dense.weight"], w[p + "feed_forward.intermediate_dense.bias"]))
        f = F.linear(f, w[p + "feed_forward.output_dense.weight"], w[p + "feed_forward.output_dense.bias"])
        h = F.layer_norm(h + f, (H,), w[p + "final_layer_norm.weight"], w[p + "final_layer_norm.bias"], 1e-5)
        states.append(h)
    return torch.stack([s[0] for s in states])                      # (L + 1, T, H), as our EncodeWave


def bert_forward(w, ids):
    H, nh, eps = 768, 12, 1e-12
    L = ids.shape[1]
    h = (F.embedding(ids, w["embeddings.word_embeddings.weight"])
         + w["embeddings.position_embeddings.weight"][:L][None]
         + w["embeddings.token_type_embeddings.weight"][0][None, None])
    h = F.layer_norm(h, (H,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    states = [h]
    d = H // nh
    for l in range(12):
        p = f"encoder.layer.{l}."
        q, k, v = (F.linear(h, w[p + f"attention.self.{n}.weight"], w[p + f"attention.self.{n}.bias"]).view(1, L, nh, d).transpose(1, 2)
                   for n in ("query", "key", "value"))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1) @ v
        a = F.linear(a.transpose(1, 2).reshape(1, L, H), w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"])
        h = F.layer_norm(h + a, (H,), w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        f = F.gelu(F.linear(h, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
        f = F.linear(f, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
        h = F.layer_norm(h + f, (H,), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        states.append(h)
    return torch.stack([s[0] for s in states])


def normalize(x):                                                  # Wav2Vec2FeatureExtractor, do_normalize
    x = x.astype(np.float64)
    return ((x - x.mean()) / np.sqrt(x.var() + 1e-7)).astype(np.float32)


def load_inputs(root):
    inp = os.path.join(root, "inputs")
    utts = [np.fromfile(os.path.join(inp, f), dtype="<f4") for f in sorted(os.listdir(inp)) if f.endswith(".f32")]
    texts = open(os.path.join(inp, "texts.txt")).read().splitlines()
    return utts, texts


def bench(root, threads):
    torch.set_num_threads(threads)
    blas, load = blas_in_use(), os.getloadavg()
    print(f"pytorch {torch.__version__}, {threads} thread(s), BLAS: {blas}")
    ww = read_safetensors(os.path.join(root, "wav2vec2-base", "model.safetensors"))
    v, gn = ww["encoder.pos_conv_embed.conv.weight_v"], ww["encoder.pos_conv_embed.conv.weight_g"]
    ww["pos_conv_weight"] = gn * v / v.norm(dim=(0, 1), keepdim=True)   # weight norm, dim=2
    bw = read_safetensors(os.path.join(root, "bert-base", "model.safetensors"))
    index = {t: i for i, t in enumerate(open(os.path.join(root, "bert-base", "vocab.txt")).read().splitlines())}
    utts, texts = load_inputs(root)
    ids = [torch.tensor([[101] + [index.get(t, 100) for t in s.lower().split()][:510] + [102]]) for s in texts]
    with torch.inference_mode():
        # warm-up (excluded)
        w2v_forward(ww, torch.from_numpy(normalize(utts[0]))); bert_forward(bw, ids[0])
        t0 = time.perf_counter()
        for i, u in enumerate(utts):
            out = w2v_forward(ww, torch.from_numpy(normalize(u)))
            if i == 0: out[-1].numpy().astype("<f4").tofile(os.path.join(root, "pytorch_w2v_last.f32"))
        t_audio = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i, x in enumerate(ids):
            out = bert_forward(bw, x)
            if i == 0: out[-1].numpy().astype("<f4").tofile(os.path.join(root, "pytorch_bert_last.f32"))
        t_text = time.perf_counter() - t0
    audio_s = sum(len(u) for u in utts) / 16000.0
    tokens = sum(x.shape[1] for x in ids)
    r = {"side": "pytorch", "version": torch.__version__, "threads": threads, "audio_seconds": audio_s,
         "audio_wall": t_audio, "tokens": tokens, "text_wall": t_text,
         "blas": blas, "load": [load[0], os.getloadavg()[0]]}
    with open(os.path.join(root, "results.jsonl"), "a") as f: f.write(json.dumps(r) + "\n")
    print(f"pytorch {torch.__version__}: {audio_s / t_audio:.2f} audio s/s, {tokens / t_text:.1f} tokens/s")


def compare(root):
    for name in ("w2v", "bert"):
        a = np.fromfile(os.path.join(root, f"ours_{name}_last.f32"), dtype="<f4")
        b = np.fromfile(os.path.join(root, f"pytorch_{name}_last.f32"), dtype="<f4")
        assert a.shape == b.shape, (name, a.shape, b.shape)
        print(f"{name}: last hidden state of input 0, {a.size} values, max |ours - pytorch| = {np.abs(a - b).max():.3g} (max |value| {np.abs(b).max():.3g})")


def table(root):
    rows = [json.loads(l) for l in open(os.path.join(root, "results.jsonl"))]
    def best(side, key):  # per-round figures and their median
        xs = sorted(r[("audio_seconds" if key == "audio" else "tokens")] / r[key + "_wall"] for r in rows if r["side"] == side)
        n = len(xs)
        return (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2), xs
    for r in rows:
        if r["side"] == "pytorch": print(f"reference: PyTorch {r['version']}, {r['threads']} thread(s), BLAS {r.get('blas', 'not recorded')}")
    print("1-min load at start/end of each PyTorch round: " + ", ".join("/".join(f"{x:.1f}" for x in r["load"]) for r in rows if "load" in r))
    print(f"{'':14}{'ours (TorchSharp)':>22}{'PyTorch':>22}{'ratio':>8}")
    for key, unit in (("audio", "audio s/s"), ("text", "tokens/s")):
        o, os_ = best("ours", key); p, ps = best("pytorch", key)
        print(f"{unit:14}{o:22.2f}{p:22.2f}{o / p:8.2f}   rounds ours {[round(x, 2) for x in os_]} pytorch {[round(x, 2) for x in ps]}")


if __name__ == "__main__":
    cmd, root = sys.argv[1], sys.argv[2]
    {"generate": lambda: generate(root), "bench": lambda: bench(root, int(sys.argv[3])),
     "compare": lambda: compare(root), "table": lambda: table(root)}[cmd]()
