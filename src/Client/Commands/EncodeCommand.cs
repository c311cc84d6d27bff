using System.CommandLine;
using Orchestrator.Models.Audio;
using Orchestrator.Models.Encoders;
using Orchestrator.Models.Encoders.Checkpoints;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator encode</c>: every hidden state of a wav2vec 2.0 or BERT checkpoint for one input,
/// written as <c>hidden_states.0</c> ... <c>hidden_states.L</c> (F32, [T, H]) so they can be
/// compared with HuggingFace's <c>output_hidden_states</c> from Python.
/// </summary>
public static class EncodeCommand
{
    public static Command Create()
    {
        // A checkpoint, so not --model (a fusion model in train and cv); --model stays as an alias.
        var model = new Option<string>("--checkpoint", "--model") { Description = "A HuggingFace model folder, or a model id resolved through the local hub cache (e.g. facebook/wav2vec2-base).", Required = true };
        var wav = new Option<FileInfo?>("--wav") { Description = "A WAV file to encode with a wav2vec 2.0 checkpoint (any format and rate; resampled as the checkpoint expects)." };
        var text = new Option<string?>("--text") { Description = "A text to encode with a BERT checkpoint." };
        var output = new Option<FileInfo>("--out") { Description = "The .safetensors file to write.", Required = true };
        var command = new Command("encode", "Write every hidden state of a wav2vec 2.0 or BERT checkpoint for one input.") { model, wav, text, output };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(wav) is null) == (result.GetValue(text) is null))
                result.AddError("Give exactly one of --wav FILE and --text \"...\".");
        });
        command.SetAction((result, cancellation) => result.GetValue(wav) is { } wavFile
            ? EncodeWaveAsync(result.GetValue(model)!, wavFile, result.GetValue(output)!, cancellation)
            : EncodeTextAsync(result.GetValue(model)!, result.GetValue(text)!, result.GetValue(output)!, cancellation));
        return command;
    }

    private static async Task<int> EncodeWaveAsync(string model, FileInfo wav, FileInfo output, CancellationToken cancellation)
    {
        try
        {
            using var encoder = await SpeechEncoder.LoadAsync(model, cancellation: cancellation);
            var waveform = WavReader.ReadMono(wav.FullName, encoder.Preprocessor.SamplingRate);
            using var states = encoder.EncodeWave(waveform.Samples, waveform.SampleRate);
            Write(output, states, extra: []);
            Terminal.Error.MarkupLineInterpolated($"{wav.Name}: {waveform.Duration.TotalSeconds:0.00} s -> {states.LayerCount} hidden states of [[{states.Length}, {states.Width}]] in [bold]{output.FullName}[/]");
            return 0;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException or CheckpointException)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{error.Message}[/]");
            return 1;
        }
    }

    private static async Task<int> EncodeTextAsync(string model, string text, FileInfo output, CancellationToken cancellation)
    {
        try
        {
            using var encoder = await TextEncoder.LoadAsync(model, cancellation: cancellation);
            using var encoding = encoder.Encode(text);
            using var ids = tensor(encoding.Tokens.InputIds.Select(id => (long)id).ToArray());   // (T)
            Write(output, encoding.States, extra: [new("input_ids", ids)]);
            if (encoding.Tokens.TruncatedTokens > 0)
                Terminal.Error.MarkupLineInterpolated($"[yellow]The text is longer than the model's maximum positions: {encoding.Tokens.TruncatedTokens} token(s) were cut off.[/]");
            Terminal.Error.MarkupLineInterpolated($"{encoding.Tokens.InputIds.Length} tokens -> {encoding.States.LayerCount} hidden states of [[{encoding.States.Length}, {encoding.States.Width}]] in [bold]{output.FullName}[/]");
            return 0;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException or CheckpointException)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{error.Message}[/]");
            return 1;
        }
    }

    private static void Write(FileInfo output, HiddenStates states, IReadOnlyList<KeyValuePair<string, Tensor>> extra)
    {
        using var scope = NewDisposeScope();
        var tensors = Enumerable.Range(0, states.LayerCount)
            .Select(layer => KeyValuePair.Create($"hidden_states.{layer}", states.Layers[layer].contiguous()))  // (T, H)
            .Concat(extra);
        SafeTensorsWriter.Write(output.FullName, tensors);
    }
}
