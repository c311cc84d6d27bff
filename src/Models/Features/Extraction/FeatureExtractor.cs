using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Models.Audio;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Encoders;
using Orchestrator.Models.Encoders.BuiltIn;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Telemetry;
using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Extraction;

/// <summary>
/// Turns a corpus into the five embedding streams of method.md sections 2-3 and stores them.
/// Utterances already stored under the same content key and extraction fingerprint are skipped,
/// so a second run over the same inputs does no encoding, and a killed run resumes.
/// </summary>
public sealed class FeatureExtractor(SpeechEncoder speech, EncoderSource speechSource, TextEncoder text, EncoderSource textSource)
{
    /// <summary>
    /// Extracts every utterance of <paramref name="corpus"/> that the store at
    /// <paramref name="storeDirectory"/> lacks. Work is done in batches of
    /// <see cref="ExtractionOptions.BatchSize"/> utterances of similar length (wav size), audio
    /// being read for the next batch while the current one encodes.
    /// </summary>
    /// <exception cref="FeatureStoreMismatchException">The store holds features of other encoders or options.</exception>
    public ExtractionReport Run(IemocapCorpus corpus, string storeDirectory, ExtractionOptions options,
        StoreWriterOptions? writerOptions = null, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var utterances = (options.AllLabelled ? corpus.Utterances : corpus.FourClass).ToList();
        var keys = HashContents(utterances, progress, cancellation);

        var description = Describe(options);
        using var writer = FeatureStoreWriter.Open(storeDirectory, description, writerOptions);
        var pending = writer.Pending(utterances.Select((u, i) => (u.Id, keys[i]))).Select(p => p.Id).ToHashSet();
        var untrained = description.Encoders.Any(e => e.Untrained);
        if (pending.Count == 0 && writer.IsComplete)
            return new ExtractionReport
            {
                Utterances = utterances.Count, Reused = utterances.Count, UntrainedEncoders = untrained,
                WallSeconds = clock.Elapsed.TotalSeconds, Fingerprint = writer.Fingerprint, StoreBytes = DirectoryBytes(storeDirectory),
            };

        // Similar lengths side by side: less padding in every batch (wav size is a proxy known before decoding).
        var work = utterances.Select((u, i) => (Utterance: u, Key: keys[i]))
            .Where(u => pending.Contains(u.Utterance.Id))
            .OrderBy(u => File.Exists(u.Utterance.WavPath) ? new FileInfo(u.Utterance.WavPath).Length : 0)
            .ThenBy(u => u.Utterance.Id, StringComparer.Ordinal)
            .ToList();
        var tally = new ExtractionTally();
        var batches = work.Chunk(Math.Max(1, options.BatchSize)).ToList();
        var done = 0;
        var next = Task.Run(() => ReadAudio(batches.ElementAtOrDefault(0)), cancellation);
        for (var b = 0; b < batches.Count; b++)
        {
            cancellation.ThrowIfCancellationRequested();
            var audio = next.GetAwaiter().GetResult();
            if (b + 1 < batches.Count)
            {
                var following = batches[b + 1];
                next = Task.Run(() => ReadAudio(following), cancellation);
            }
            ExtractBatch(batches[b], audio, description, options, writer, tally);
            done += batches[b].Length;
            progress?.Report(new ExtractionProgress("encoding", done, work.Count));
        }

        var report = tally.ToReport(utterances.Count, utterances.Count - work.Count, untrained, clock.Elapsed.TotalSeconds, writer.Fingerprint, 0);
        if (report.Failed.Count == 0) writer.Complete(JsonSerializer.Serialize(report, ExtractionReportJsonContext.Default.ExtractionReport));
        else writer.Flush();
        return report with { WallSeconds = clock.Elapsed.TotalSeconds, Fingerprint = writer.Fingerprint, StoreBytes = DirectoryBytes(storeDirectory) };
    }

    /// <summary>The store description for these encoders and options (layers resolved, encoders fingerprinted).</summary>
    public StoreDescription Describe(ExtractionOptions options)
    {
        var speechLayers = LayerSelection.Parse(options.SpeechLayers, speech.Config.NumHiddenLayers);
        var textLayers = LayerSelection.Parse(options.TextLayers, text.Model.Config.NumHiddenLayers);
        var encoders = new[]
        {
            new EncoderDescription($"speech:{speechSource.Name}", speechSource.Folder, ExtractionFingerprint.Encoder(speechSource.Folder), BuiltInEncoders.IsUntrained(speechSource.Folder)),
            new EncoderDescription($"text:{textSource.Name}", textSource.Folder, ExtractionFingerprint.Encoder(textSource.Folder), BuiltInEncoders.IsUntrained(textSource.Folder)),
        };
        var recorded = options.Recorded(speechLayers, textLayers);
        return new StoreDescription(StoreDescription.ComputeExtractionFingerprint(encoders, recorded), options.DType,
            speechLayers, textLayers, speech.Config.HiddenSize, text.Model.Config.HiddenSize, encoders, recorded);
    }

    private static string[] HashContents(List<Utterance> utterances, IProgress<ExtractionProgress>? progress, CancellationToken cancellation)
    {
        var keys = new string[utterances.Count];
        var hashed = 0;
        Parallel.For(0, utterances.Count, new ParallelOptions { CancellationToken = cancellation }, i =>
        {
            keys[i] = ExtractionFingerprint.Utterance(utterances[i]);
            progress?.Report(new ExtractionProgress("hashing", Interlocked.Increment(ref hashed), utterances.Count));
        });
        return keys;
    }

    /// <summary>Decodes and resamples a batch's audio; a file that fails is returned as its error.</summary>
    private (Waveform? Wave, string? Error)[] ReadAudio((Utterance Utterance, string Key)[]? batch) =>
        batch is null ? [] : batch.Select(item =>
        {
            try
            {
                return ((Waveform?)WavReader.ReadMono(item.Utterance.WavPath, speech.Preprocessor.SamplingRate), (string?)null);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                return (null, e.Message);
            }
        }).ToArray();

    private void ExtractBatch((Utterance Utterance, string Key)[] batch, (Waveform? Wave, string? Error)[] audio,
        StoreDescription description, ExtractionOptions options, FeatureStoreWriter writer, ExtractionTally tally)
    {
        var minimum = speech.Config.ReceptiveFieldSamples;
        var usable = new List<int>();
        for (var i = 0; i < batch.Length; i++)
        {
            if (audio[i].Error is { } error) tally.Failed.Add($"{batch[i].Utterance.Id}: {error}");
            else if (audio[i].Wave!.Samples.Length < minimum)
                tally.Failed.Add($"{batch[i].Utterance.WavPath}: {audio[i].Wave!.Samples.Length} samples, shorter than one encoder frame ({minimum} samples at {speech.Preprocessor.SamplingRate} Hz).");
            else usable.Add(i);
        }
        if (usable.Count == 0) return;

        var transcripts = usable.Select(i => TranscriptCleaner.Clean(batch[i].Utterance.Transcript, options.KeepTags)).ToList();
        var encodings = text.EncodeBatch(transcripts);
        var states = speech.EncodeBatch(usable.Select(i => audio[i].Wave!.Samples).ToList(), speech.Preprocessor.SamplingRate);
        var timing = FrameTiming.From(speech.Config, speech.Preprocessor.SamplingRate);
        try
        {
            for (var j = 0; j < usable.Count; j++)
            {
                var utterance = batch[usable[j]].Utterance;
                try
                {
                    using var scope = NewDisposeScope();
                    var frames = states[j].Layers.index_select(0, tensor(description.SpeechLayers.Select(l => (long)l).ToArray())); // (L, T, H)
                    var textStream = TextStream(encodings[j], description.TextLayers, options.KeepSpecialTokens, out var emptyTranscript); // (Lt, N, Ht)
                    using var speechStreams = SpeechStreams.Build(utterance.Alignment, frames, timing, new SegmentOptions(options.KeepSilence));
                    var streams = new Dictionary<StreamKind, Tensor>(speechStreams.Streams) { [StreamKind.Text] = textStream };
                    var features = new UtteranceFeatures(utterance.Id, streams, speechStreams.SegmentFrames);
                    var counts = tally.Add(utterance, speechStreams.Counts, encodings[j].Tokens.Truncated, emptyTranscript, audio[usable[j]].Wave!.Duration.TotalSeconds);
                    writer.Add(new UtteranceInfo(utterance.Id, utterance.Session, utterance.Speaker, utterance.Gender, utterance.RawLabel, utterance.Label, batch[usable[j]].Key, counts), features);
                    FeatureMetrics.ExtractionAudio.Add(audio[usable[j]].Wave!.Duration.TotalSeconds);
                    FeatureMetrics.ExtractionUtterances.Add(1);
                }
                catch (ArgumentException e)
                {
                    tally.Failed.Add($"{utterance.Id}: {e.Message}");
                }
            }
        }
        finally
        {
            foreach (var encoding in encodings) encoding.Dispose();
            foreach (var state in states) state.Dispose();
        }
    }

    /// <summary>(Lt, N, Ht): the kept layers, [CLS] and [SEP] dropped unless kept or nothing else is left.</summary>
    private static Tensor TextStream(TextEncoding encoding, IReadOnlyList<int> layers, bool keepSpecial, out bool empty)
    {
        var kept = encoding.States.Layers.index_select(0, tensor(layers.Select(l => (long)l).ToArray()));    // (Lt, N + 2, Ht)
        var tokens = encoding.States.Length;
        empty = tokens <= 2;
        return keepSpecial || empty ? kept : kept[.., 1..(tokens - 1)];                                        // (Lt, N, Ht)
    }

    private static long DirectoryBytes(string directory) =>
        Directory.Exists(directory) ? new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
}
