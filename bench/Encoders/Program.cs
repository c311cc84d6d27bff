using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Orchestrator.Models.Encoders;
using static TorchSharp.torch;

// Usage: Encoders.Bench DIR THREADS
// DIR is what pytorch_reference.py generate wrote (wav2vec2-base/, bert-base/, inputs/). Times
// SpeechEncoder.EncodeWave over every utterance and TextEncoder.Encode over every text (one
// warm-up pass each, excluded), appends a JSON line to DIR/results.jsonl and writes the first
// input's last hidden state to DIR/ours_{w2v,bert}_last.f32 for the comparison with PyTorch.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Encoders.Bench DIR THREADS");
    return 2;
}
var root = args[0];
var threads = int.Parse(args[1], CultureInfo.InvariantCulture);
using var speech = SpeechEncoder.Load(Path.Combine(root, "wav2vec2-base"));
using var text = TextEncoder.Load(Path.Combine(root, "bert-base"));
set_num_threads(threads);

var inputs = Path.Combine(root, "inputs");
var utterances = Directory.GetFiles(inputs, "*.f32").Order(StringComparer.Ordinal)
    .Select(f => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(f)).ToArray()).ToArray();
var texts = File.ReadAllLines(Path.Combine(inputs, "texts.txt")).Where(l => l.Length > 0).ToArray();

using (speech.EncodeWave(utterances[0], 16000)) { }   // warm-up
using (text.Encode(texts[0])) { }

var clock = Stopwatch.StartNew();
for (var i = 0; i < utterances.Length; i++)
{
    using var states = speech.EncodeWave(utterances[i], 16000);
    if (i == 0) WriteFloats(Path.Combine(root, "ours_w2v_last.f32"), states.ToArray(states.LayerCount - 1));
}
var audioWall = clock.Elapsed.TotalSeconds;

long tokens = 0;
clock.Restart();
for (var i = 0; i < texts.Length; i++)
{
    using var encoding = text.Encode(texts[i]);
    tokens += encoding.States.Length;
    if (i == 0) WriteFloats(Path.Combine(root, "ours_bert_last.f32"), encoding.States.ToArray(encoding.States.LayerCount - 1));
}
var textWall = clock.Elapsed.TotalSeconds;

var audioSeconds = utterances.Sum(u => u.Length) / 16000.0;
var line = JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["side"] = "ours",
    ["version"] = $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, libtorch {__version__}",
    ["threads"] = threads,
    ["audio_seconds"] = audioSeconds,
    ["audio_wall"] = audioWall,
    ["tokens"] = tokens,
    ["text_wall"] = textWall,
});
File.AppendAllText(Path.Combine(root, "results.jsonl"), line + "\n");
Console.WriteLine(FormattableString.Invariant($"ours: {audioSeconds / audioWall:F2} audio s/s, {tokens / textWall:F1} tokens/s"));
return 0;

static void WriteFloats(string path, float[] values) => File.WriteAllBytes(path, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
