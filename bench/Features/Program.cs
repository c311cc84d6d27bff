using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Models.Audio;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Encoders;
using Orchestrator.Models.Encoders.BuiltIn;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Extraction;
using Orchestrator.Models.Synthesis;
using static TorchSharp.torch;

// Usage: Features.Bench prepare DIR N     |     Features.Bench run DIR THREADS
// DIR holds wav2vec2-base/ and bert-base/ from bench/Encoders/pytorch_reference.py generate.
// prepare: synthesises a corpus (DIR/corpus), makes bert-base-vocab/ (bert-base's weights and config,
//   the built-in WordPiece vocabulary padded to bert-base's size, so real transcripts tokenise into
//   real pieces) and writes DIR/inputs.json for the PyTorch side: the first N four-class utterances with
//   their wav, their token ids and the frame range of every phone, syllable and word (untimed work).
// run: times FeatureExtractor.Run over those N utterances into a fresh F16 store of all 12 layers
//   (DIR/store-ours) and appends a JSON line to DIR/features-results.jsonl.
if (args.Length != 3 || args[0] is not ("prepare" or "run"))
{
    Console.Error.WriteLine("usage: Features.Bench prepare DIR N | Features.Bench run DIR THREADS");
    return 2;
}
var root = Path.GetFullPath(args[1]);
var speechFolder = Path.Combine(root, "wav2vec2-base");
var textFolder = Path.Combine(root, "bert-base-vocab");
var inputsPath = Path.Combine(root, "inputs.json");

if (args[0] == "prepare")
{
    var n = int.Parse(args[2], CultureInfo.InvariantCulture);
    var corpusRoot = Path.Combine(root, "corpus");
    if (!Directory.Exists(corpusRoot))
        SyntheticCorpus.Write(corpusRoot, new SyntheticCorpusOptions { Seed = 5, Utterances = Math.Max(60, n * 2 + 20), UtterancesWithoutAlignment = 0 });
    WriteTextCheckpoint(Path.Combine(root, "bert-base"), textFolder);

    using var speech = SpeechEncoder.Load(speechFolder);
    using var text = TextEncoder.Load(textFolder);
    var utterances = Selected(corpusRoot, n);
    var timing = FrameTiming.From(speech.Config, speech.Preprocessor.SamplingRate);
    var entries = utterances.Select(u =>
    {
        var frames = speech.Config.FrameCount(WavReader.ReadMono(u.WavPath, 16000).Samples.Length);
        var segments = new Dictionary<string, IReadOnlyList<AlignedSegment>>
        {
            ["phone"] = u.Alignment!.Phones, ["syllable"] = u.Alignment.Syllables ?? Syllabifier.Syllabify(u.Alignment.Phones, u.Alignment.Words), ["word"] = u.Alignment.Words,
        };
        return new Dictionary<string, object>
        {
            ["id"] = u.Id,
            ["wav"] = u.WavPath,
            ["frames"] = frames,
            ["input_ids"] = text.Tokenizer.Encode(TranscriptCleaner.Clean(u.Transcript)).InputIds,
            ["segments"] = segments.ToDictionary(s => s.Key, s => SegmentFrameMapper.Map(s.Value, timing, frames).Ranges.Select(r => new[] { r.First, r.Last }).ToArray()),
        };
    }).ToList();
    File.WriteAllText(inputsPath, JsonSerializer.Serialize(entries));
    Console.WriteLine(FormattableString.Invariant(
        $"prepared {entries.Count} utterances, {utterances.Sum(u => WavReader.Read(u.WavPath).Duration.TotalSeconds):F1} s of audio -> {inputsPath}"));
    return 0;
}

var threads = int.Parse(args[2], CultureInfo.InvariantCulture);
set_num_threads(threads);
var count = JsonDocument.Parse(File.ReadAllText(inputsPath)).RootElement.GetArrayLength();
var selected = Selected(Path.Combine(root, "corpus"), count);
var corpus = new IemocapCorpus(selected, []);
using (var speechEncoder = SpeechEncoder.Load(speechFolder))
using (var textEncoder = TextEncoder.Load(textFolder))
{
    var extractor = new FeatureExtractor(speechEncoder, new EncoderSource("wav2vec2-base-random", speechFolder), textEncoder, new EncoderSource("bert-base-random", textFolder));
    // Warm-up (excluded): one utterance into a throwaway store.
    var warm = Path.Combine(root, "store-warmup");
    if (Directory.Exists(warm)) Directory.Delete(warm, recursive: true);
    extractor.Run(new IemocapCorpus(selected.Take(1).ToList(), []), warm, new ExtractionOptions());

    // What every run pays before encoding: hashing the checkpoints (about 800 MB here) for the store's
    // fingerprint. Timed alone for the record; it is inside the timed run below too.
    var hashClock = Stopwatch.StartNew();
    extractor.Describe(new ExtractionOptions());
    var hashSeconds = hashClock.Elapsed.TotalSeconds;

    var store = Path.Combine(root, "store-ours");
    if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
    var clock = Stopwatch.StartNew();
    var report = extractor.Run(corpus, store, new ExtractionOptions());   // F16, hidden states 1..12, batch 16
    var wall = clock.Elapsed.TotalSeconds;
    if (report.Failed.Count > 0 || report.Extracted != count) throw new InvalidOperationException($"extraction failed: {string.Join("; ", report.Failed)}");
    var line = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["side"] = "ours",
        ["version"] = $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, libtorch {__version__}",
        ["threads"] = threads,
        ["utterances"] = report.Extracted,
        ["audio_seconds"] = report.AudioSeconds,
        ["wall"] = wall,
        ["store_bytes"] = report.StoreBytes,
        ["encoder_hash_seconds"] = hashSeconds,
    });
    File.AppendAllText(Path.Combine(root, "features-results.jsonl"), line + "\n");
    Console.WriteLine(FormattableString.Invariant(
        $"ours: {report.Extracted} utterances, {report.AudioSeconds:F1} audio s in {wall:F1} s: {report.Extracted / wall:F2} utt/s, {report.AudioSeconds / wall:F2} audio s/s (of which {hashSeconds:F1} s hashing the checkpoints)"));
}
return 0;

// The first n four-class utterances with an alignment, in id order.
static List<Utterance> Selected(string corpusRoot, int n)
{
    var all = IemocapCorpus.Read(corpusRoot).FourClass.Where(u => u.Alignment is not null).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
    if (all.Count < n) throw new InvalidOperationException($"{corpusRoot} has only {all.Count} aligned four-class utterances; asked for {n}.");
    return all.Take(n).ToList();
}

// bert-base's config and weights (linked, not copied) with the built-in vocabulary padded to its 30522 entries.
static void WriteTextCheckpoint(string bertBase, string folder)
{
    Directory.CreateDirectory(folder);
    foreach (var file in new[] { "config.json", "tokenizer_config.json", "model.safetensors" })
    {
        var target = Path.Combine(folder, file);
        if (!File.Exists(target)) File.CreateSymbolicLink(target, Path.Combine(bertBase, file));
    }
    var size = JsonDocument.Parse(File.ReadAllText(Path.Combine(bertBase, "config.json"))).RootElement.GetProperty("vocab_size").GetInt32();
    var tokens = BuiltInVocabulary.Tokens.ToList();
    if (tokens.Count > size) throw new InvalidOperationException($"The built-in vocabulary ({tokens.Count}) exceeds bert-base's {size} entries.");
    tokens.AddRange(Enumerable.Range(0, size - tokens.Count).Select(i => $"[unused{i}]"));
    File.WriteAllLines(Path.Combine(folder, "vocab.txt"), tokens);
}
