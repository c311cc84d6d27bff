"""How much of the synthetic corpus' vocal cues a speech representation keeps (README, "Encoders").

  builtin_cues.py CORPUS STORE      e.g. demo/corpus demo/features

A plain multinomial logistic regression, leave-one-session-out over the 4 classes, on
per-utterance statistics (mean, standard deviation, mean absolute frame-to-frame delta over 40 ms)
of two frame representations of the same audio after the same per-utterance waveform
normalisation as wav2vec 2.0's preprocessor:
  - 40 log-mel energies (25 ms Hann window, 20 ms hop, 60-7600 Hz), the textbook baseline;
  - the built-in speech encoder's hidden_states[1] as the store holds them (its 32 log band
    energies; the store's deltas are left out so both sides get the same statistics).
Statistics are standardised per speaker (as `per-speaker: true` does) or over the training
sessions. Prints unweighted accuracy (mean of per-class recalls, %), the mean over the 5 folds.
Needs numpy and torch (Debian: python3-numpy python3-torch); about a minute on one core.
"""
import glob, json, math, re, struct, sys, wave
from pathlib import Path
import numpy as np
import torch

CLASSES = {"neu": 0, "hap": 1, "exc": 1, "ang": 2, "sad": 3}
torch.set_num_threads(1)


def utterances(corpus):
    for s in range(1, 6):
        for f in sorted(glob.glob(f"{corpus}/Session{s}/dialog/EmoEvaluation/*.txt")):
            for line in open(f):
                m = re.match(r"\[[\d.]+ - [\d.]+\]\t(\S+)\t(\w+)\t", line)
                if m and m.group(2) in CLASSES:
                    name = m.group(1)
                    yield name, CLASSES[m.group(2)], s, name[:5] + name.rsplit("_", 1)[1][0]


def read_wav(corpus, name, session):
    w = wave.open(f"{corpus}/Session{session}/sentences/wav/{name.rsplit('_', 1)[0]}/{name}.wav")
    assert w.getframerate() == 16000 and w.getsampwidth() == 2 and w.getnchannels() == 1
    x = torch.from_numpy(np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32))
    return (x - x.mean()) / torch.sqrt(x.var(unbiased=False) + 1e-7)


def mel_filters(n_fft=512, n_mels=40, sr=16000, fmin=60, fmax=7600):
    mel = lambda f: 2595 * np.log10(1 + f / 700)
    imel = lambda m: 700 * (10 ** (m / 2595) - 1)
    pts = imel(np.linspace(mel(fmin), mel(fmax), n_mels + 2))
    freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    fb = np.zeros((n_mels, len(freqs)))
    for i in range(n_mels):
        l, c, r = pts[i], pts[i + 1], pts[i + 2]
        fb[i] = np.clip(np.minimum((freqs - l) / (c - l), (r - freqs) / (r - c)), 0, None)
    return torch.tensor(fb, dtype=torch.float32)


FB = mel_filters()


def log_mel(x):
    spec = torch.stft(x, 512, hop_length=320, win_length=400, window=torch.hann_window(400), center=False, return_complex=True)
    return torch.log(FB @ spec.abs() ** 2 + 1e-6).T                                   # (T, 40)


def store_frames(store, names, layer=1, width=32):
    manifest = json.loads((Path(store) / "manifest.json").read_text())
    entries = {u["id"]: u for u in manifest["utterances"]}
    headers, frames = {}, {}
    for name in names:
        u = entries[name]
        path = Path(store) / u["shard"]
        if path not in headers:
            with open(path, "rb") as f:
                n = struct.unpack("<Q", f.read(8))[0]
                headers[path] = (json.loads(f.read(n)), 8 + n, np.memmap(path, dtype=np.uint8, mode="r"))
        header, start, raw = headers[path]
        t = header[f"{name}/frame"]
        b, e = t["data_offsets"]
        dtype = {"F16": np.float16, "F32": np.float32}[t["dtype"]]
        states = np.array(raw[start + b:start + e]).view(dtype).reshape(t["shape"])  # (L, T, H)
        frames[name] = torch.from_numpy(states[layer - 1, :, :width].astype(np.float32))
    return frames


def statistics(f):
    d = f[2:] - f[:-2]
    return torch.cat([f.mean(0), f.std(0), d.abs().mean(0)]).numpy()


def per_speaker(x, speakers):
    x = np.asarray(x, dtype=np.float64).copy()
    for s in set(speakers):
        m = speakers == s
        x[m] = (x[m] - x[m].mean(0)) / (x[m].std(0) + 1e-8)
    return x


def loso_ua(x, y, sessions, l2=1e-2):
    x, y = torch.as_tensor(np.asarray(x), dtype=torch.float64), torch.as_tensor(y)
    uas = []
    for s in range(1, 6):
        train, test = torch.as_tensor(sessions != s), torch.as_tensor(sessions == s)
        mu, sd = x[train].mean(0), x[train].std(0) + 1e-8
        xtr, xte = (x[train] - mu) / sd, (x[test] - mu) / sd
        w = torch.zeros(x.shape[1], 4, dtype=torch.float64, requires_grad=True)
        b = torch.zeros(4, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.LBFGS([w, b], max_iter=300, line_search_fn="strong_wolfe")
        def closure():
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(xtr @ w + b, y[train]) + l2 * (w ** 2).sum()
            loss.backward()
            return loss
        opt.step(closure)
        pred, yt = (xte @ w + b).argmax(1), y[test]
        uas.append(np.mean([(pred[yt == c] == c).double().mean().item() for c in range(4)]))
    return 100 * np.mean(uas)


def main(corpus, store):
    items = list(utterances(corpus))
    names = [i[0] for i in items]
    labels, sessions, speakers = (np.array([i[k] for i in items]) for k in (1, 2, 3))
    mel = [statistics(log_mel(read_wav(corpus, n, s))) for n, s in zip(names, sessions)]
    frames = store_frames(store, names)
    ours = [statistics(frames[n]) for n in names]
    print(f"{len(items)} utterances; UA % (logistic regression, leave-one-session-out, mean of 5 folds)")
    print(f"{'representation':<40} {'global':>8} {'per speaker':>12}")
    for label, x in [("log-mel (40), mean+sd+|delta|", mel), ("built-in encoder (32 bands), same", ours)]:
        print(f"{label:<40} {loso_ua(x, labels, sessions):8.1f} {loso_ua(per_speaker(x, speakers), labels, sessions):12.1f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
