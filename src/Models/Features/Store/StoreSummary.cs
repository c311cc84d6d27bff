using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features.Extraction;

namespace Orchestrator.Models.Features.Store;

/// <summary>What <c>features inspect</c> shows of a store, in a stable JSON shape.</summary>
public sealed record StoreSummary
{
    public required string Directory { get; init; }
    public required bool Complete { get; init; }
    public required string Fingerprint { get; init; }
    public required string DType { get; init; }
    public required IReadOnlyList<int> SpeechLayers { get; init; }
    public required IReadOnlyList<int> TextLayers { get; init; }
    public required int SpeechWidth { get; init; }
    public required int TextWidth { get; init; }
    public required IReadOnlyList<EncoderDescription> Encoders { get; init; }
    public required IReadOnlyDictionary<string, string> Options { get; init; }

    /// <summary>True when any encoder is a built-in random one.</summary>
    public bool Untrained => Encoders.Any(e => e.Untrained);

    public required int Utterances { get; init; }
    public required SortedDictionary<string, int> Sessions { get; init; }
    public required SortedDictionary<string, int> Classes { get; init; }

    /// <summary>Per stream: how many utterances have it and their lengths (elements).</summary>
    public required IReadOnlyList<StreamSummary> Streams { get; init; }

    public required int Shards { get; init; }
    public required long Bytes { get; init; }

    /// <summary>What the same settings would need for IEMOCAP's 4-class set (about 7 hours).</summary>
    public required string IemocapEstimate { get; init; }

    /// <summary>The report of the extraction that completed the store, if any.</summary>
    public ExtractionReport? Report { get; init; }

    /// <summary>Summarises an open store (reads the manifest only).</summary>
    public static StoreSummary From(FeatureStore store)
    {
        var d = store.Description;
        var lengths = store.Utterances.Select(u => store.Lengths(u.Id)).ToList();
        var estimate = StoreSize.Estimate(7, d.SpeechLayers.Count, d.TextLayers.Count, d.SpeechWidth, d.TextWidth, d.DType);
        return new StoreSummary
        {
            Directory = store.Directory, Complete = store.IsComplete, Fingerprint = store.Fingerprint, DType = d.DType.Name(),
            SpeechLayers = d.SpeechLayers, TextLayers = d.TextLayers, SpeechWidth = d.SpeechWidth, TextWidth = d.TextWidth,
            Encoders = d.Encoders, Options = d.Options,
            Utterances = store.Utterances.Count,
            Sessions = new(store.Utterances.GroupBy(u => $"Session{u.Session}").ToDictionary(g => g.Key, g => g.Count())),
            Classes = new(store.Utterances.GroupBy(u => u.Label?.Code() ?? u.RawLabel).ToDictionary(g => g.Key, g => g.Count())),
            Streams = StreamKinds.All.Select(k =>
            {
                var present = lengths.Where(l => l.ContainsKey(k)).Select(l => l[k]).ToList();
                return new StreamSummary(k.Name(), present.Count, present.Count == 0 ? 0 : present.Average(), present.Count == 0 ? 0 : present.Max());
            }).ToList(),
            Shards = store.ShardCount, Bytes = store.Bytes,
            IemocapEstimate = estimate.ToString(),
            Report = store.ReportJson is { } json ? JsonSerializer.Deserialize(json, ExtractionReportJsonContext.Default.ExtractionReport) : null,
        };
    }
}

/// <summary>One stream of a <see cref="StoreSummary"/>.</summary>
public sealed record StreamSummary(string Stream, int Utterances, double MeanLength, int MaxLength);

/// <summary>Source-generated JSON for <see cref="StoreSummary"/>.</summary>
[JsonSerializable(typeof(StoreSummary))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public sealed partial class StoreSummaryJsonContext : JsonSerializerContext;
