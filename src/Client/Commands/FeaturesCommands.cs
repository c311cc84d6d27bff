using Spectre.Console;
using System.CommandLine;
using System.Text.Json;
using Orchestrator.Client.Rendering;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Encoders;
using Orchestrator.Models.Encoders.BuiltIn;
using Orchestrator.Models.Encoders.Checkpoints;
using Orchestrator.Models.Encoders.Hub;
using Orchestrator.Models.Features.Extraction;
using Orchestrator.Models.Features.Store;

namespace Orchestrator.Client.Commands;

/// <summary><c>orchestrator features ...</c>: extract the embedding streams once, inspect and export them.</summary>
public static class FeaturesCommands
{
    public static Command Create() => new("features", "Extract the text, frame, phone, syllable and word embeddings of a corpus into a feature store; inspect and export it.")
    {
        CreateExtract(),
        CreateInspect(),
        CreateExport(),
    };

    private static Command CreateExtract()
    {
        var corpus = new Option<DirectoryInfo>("--corpus") { Description = "Root of an IEMOCAP-layout corpus (holding Session1..Session5).", Required = true };
        var wav2vec2 = new Option<string?>("--wav2vec2") { Description = "wav2vec 2.0 checkpoint: a folder, a hub id (e.g. facebook/wav2vec2-base), or 'builtin' (tiny, not pre-trained: a fixed filter bank). Default: builtin on the project's synthetic corpus; required on any other." };
        var bert = new Option<string?>("--bert") { Description = "BERT checkpoint: a folder, a hub id (e.g. bert-base-uncased), or 'builtin' (tiny, not pre-trained: seeded random weights). Default: builtin on the project's synthetic corpus; required on any other." };
        var store = new Option<DirectoryInfo>("--store") { Description = "The feature store folder (created, resumed, or reused when up to date).", Required = true };
        var layers = new Option<string?>("--layers") { Description = "Hidden states to keep, HF numbering: all (1..L, the default), 0-12, 4,8,12. Applies to both encoders unless --text-layers is given." };
        var textLayers = new Option<string?>("--text-layers") { Description = "Hidden states to keep for BERT when they differ from --layers." };
        var dtype = new Option<string>("--dtype") { Description = "f16 (default: half the disk) or f32.", DefaultValueFactory = _ => "f16" };
        var keepSilence = new Option<bool>("--keep-silence") { Description = "Keep silence and noise segments in the phone, syllable and word streams." };
        var keepSpecial = new Option<bool>("--keep-special-tokens") { Description = "Keep [CLS] and [SEP] in the text stream." };
        var keepTags = new Option<bool>("--keep-tags") { Description = "Keep bracketed tags such as [LAUGHTER] in transcripts." };
        var allLabelled = new Option<bool>("--all-labelled") { Description = "Extract every labelled utterance, not only the four classes." };
        var batch = new Option<int>("--batch-size") { Description = "Utterances per encoder batch.", DefaultValueFactory = _ => 16  }.AtLeast(1, "utterance per batch");
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a store made with other encoders or options (a store of the same extraction is kept and completed)." };
        var json = new Option<bool>("--json") { Description = "Print the extraction report as JSON." };
        var command = new Command("extract", "Encode every utterance with wav2vec 2.0 and BERT (all layers), pool phones, syllables and words, and store the streams.")
        { corpus, wav2vec2, bert, store, layers, textLayers, dtype, keepSilence, keepSpecial, keepTags, allLabelled, batch, overwrite, json };
        command.SetAction((result, cancellation) =>
        {
            var layerSpec = result.GetValue(layers);
            ExtractionOptions options;
            try
            {
                options = new ExtractionOptions(layerSpec, result.GetValue(textLayers) ?? layerSpec, StoreDTypes.Parse(result.GetValue(dtype)!),
                    result.GetValue(keepSilence), result.GetValue(keepSpecial), result.GetValue(keepTags), result.GetValue(allLabelled), Math.Max(1, result.GetValue(batch)));
            }
            catch (FormatException error)
            {
                Terminal.Error.MarkupLineInterpolated($"[red]{error.Message}[/]");
                return Task.FromResult(1);
            }
            if (DefaultEncoders(result.GetValue(corpus)!, result.GetValue(wav2vec2), result.GetValue(bert)) is not var (speech, text))
                return Task.FromResult(1);
            return ExtractAsync(result.GetValue(corpus)!, speech, text, result.GetValue(store)!,
                options, result.GetValue(overwrite), result.GetValue(json), cancellation);
        });
        return command;
    }

    /// <summary>
    /// The encoders to extract with. The untrained built-in ones are the default only on the project's
    /// synthetic corpus (it has a synthesis manifest): on a real corpus their features would give
    /// meaningless scores, so they must be asked for by name there.
    /// </summary>
    private static (string Speech, string Text)? DefaultEncoders(DirectoryInfo corpus, string? wav2vec2, string? bert)
    {
        if (wav2vec2 is not null && bert is not null) return (wav2vec2, bert);
        // A missing folder is reported by the extraction itself, naming it.
        if (!corpus.Exists || File.Exists(Path.Combine(corpus.FullName, Models.Synthesis.SynthesisManifest.FileName)))
            return (wav2vec2 ?? BuiltInEncoders.Name, bert ?? BuiltInEncoders.Name);
        var missing = string.Join(" and ", new[] { ("--wav2vec2", wav2vec2), ("--bert", bert) }.Where(o => o.Item2 is null).Select(o => o.Item1));
        Terminal.Error.MarkupLineInterpolated(
            $"[red]{corpus.FullName} is not the project's synthetic corpus: name the encoders ({missing}), e.g. --wav2vec2 facebook/wav2vec2-base --bert bert-base-uncased (a folder or a hub id). The untrained built-in encoders run only when asked for by name (--wav2vec2 builtin --bert builtin): their features exercise the pipeline, they are not results.[/]");
        return null;
    }

    private static Command CreateInspect()
    {
        var store = new Option<DirectoryInfo>("--store") { Description = "The feature store folder.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the store's summary as JSON." };
        var command = new Command("inspect", "Summarise a feature store: encoders, layers, utterances, stream lengths, fallbacks, size.") { store, json };
        command.SetAction(result => Inspect(result.GetValue(store)!, result.GetValue(json)));
        return command;
    }

    private static Command CreateExport()
    {
        var store = new Option<DirectoryInfo>("--store") { Description = "The feature store folder.", Required = true };
        var utterance = new Option<string>("--utterance") { Description = "Utterance id, e.g. Ses01F_impro01_F000.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The .safetensors file to write (F32 streams, I64 segment frames).", Required = true };
        var command = new Command("export", "Write one utterance's streams as a standalone safetensors file.") { store, utterance, output };
        command.SetAction(result => Export(result.GetValue(store)!, result.GetValue(utterance)!, result.GetValue(output)!));
        return command;
    }

    /// <summary>Extracts with progress; 0 when the store is complete afterwards.</summary>
    public static async Task<int> ExtractAsync(DirectoryInfo corpusRoot, string wav2vec2, string bert, DirectoryInfo store,
        ExtractionOptions options, bool overwrite, bool json, CancellationToken cancellation)
    {
        if (!Directory.Exists(corpusRoot.FullName))
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{corpusRoot.FullName}: no such folder[/]");
            return 1;
        }
        try
        {
            var corpus = Terminal.WithProgress("Reading the corpus", progress =>
                IemocapCorpus.Read(corpusRoot.FullName, new CallbackProgress<CorpusReadProgress>(p => progress.Report((p.DialogsRead, p.DialogsTotal)))));
            var speechSource = await ResolveAsync(wav2vec2, BuiltInEncoders.SpeechFolder, cancellation);
            var textSource = await ResolveAsync(bert, BuiltInEncoders.TextFolder, cancellation);
            using var speech = SpeechEncoder.Load(speechSource.Folder);
            using var text = TextEncoder.Load(textSource.Folder);
            WarnIfUntrained(speechSource, textSource);

            var extractor = new FeatureExtractor(speech, speechSource, text, textSource);
            using var metrics = ClientTelemetry.StartFeatureMetrics();     // audio seconds per second, by OTLP when configured
            var report = Terminal.WithProgress("Extracting features", progress => extractor.Run(corpus, store.FullName, options,
                new StoreWriterOptions(Overwrite: overwrite),
                new CallbackProgress<ExtractionProgress>(p => { if (p.Phase == "encoding") progress.Report((p.Done, p.Total)); }),
                cancellation));
            if (json) Terminal.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(report, ExtractionReportJsonContext.Default.ExtractionReport));
            else ExtractionReportView.Render(Terminal.Out, store.FullName, report);
            return report.Failed.Count == 0 ? 0 : 1;
        }
        catch (FeatureStoreMismatchException error)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{error.Directory} holds features of another extraction:[/]");
            foreach (var difference in error.Differences) Terminal.Error.MarkupLineInterpolated($"[red]  {difference}[/]");
            Terminal.Error.MarkupLine("[red]Choose another --store, or pass --overwrite to replace it.[/]");
            return 1;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException or FormatException or CheckpointException or FeatureStoreException or HttpRequestException)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{error.Message}[/]");
            return 1;
        }
    }

    private static async Task<EncoderSource> ResolveAsync(string name, Func<string?, string> builtIn, CancellationToken cancellation)
    {
        if (BuiltInEncoders.IsBuiltIn(name)) return new EncoderSource(BuiltInEncoders.Name, builtIn(null));
        using var resolver = new HubModelResolver(HubOptions.FromEnvironment());
        return new EncoderSource(name, await resolver.ResolveAsync(name, cancellation));
    }

    private static void WarnIfUntrained(params EncoderSource[] sources)
    {
        foreach (var source in sources.Where(s => BuiltInEncoders.IsUntrained(s.Folder)))
            Terminal.Error.MarkupLineInterpolated($"[yellow]{source.Folder}: built-in encoder, NOT PRE-TRAINED (a fixed filter bank for speech, seeded random weights for text). Its features exercise the pipeline; they are not results. Pass --wav2vec2/--bert with real checkpoints for those.[/]");
    }

    private static int Inspect(DirectoryInfo directory, bool json)
    {
        try
        {
            using var store = FeatureStore.Open(directory.FullName);
            var summary = StoreSummary.From(store);
            if (json) Terminal.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(summary, StoreSummaryJsonContext.Default.StoreSummary));
            else StoreSummaryView.Render(Terminal.Out, summary);
            return 0;
        }
        catch (Exception error) when (error is IOException or FeatureStoreException or InvalidDataException)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{error.Message}[/]");
            return 1;
        }
    }

    private static int Export(DirectoryInfo directory, string utterance, FileInfo output)
    {
        try
        {
            using var store = FeatureStore.Open(directory.FullName);
            if (!store.Contains(utterance))
            {
                var near = store.Utterances.Select(u => u.Id).Where(id => id.StartsWith(utterance.Split('_')[0], StringComparison.Ordinal)).Take(3).ToList();
                Terminal.Error.MarkupLineInterpolated($"[red]{directory.FullName} holds no utterance '{utterance}'{(near.Count > 0 ? $" (e.g. {string.Join(", ", near)})" : "")}.[/]");
                return 1;
            }
            var names = FeatureExport.Write(store, utterance, output.FullName);
            Terminal.Error.MarkupLineInterpolated($"{utterance}: {string.Join(", ", names)} -> [bold]{output.FullName}[/]");
            return 0;
        }
        catch (Exception error) when (error is IOException or FeatureStoreException or InvalidDataException)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{error.Message}[/]");
            return 1;
        }
    }
}
