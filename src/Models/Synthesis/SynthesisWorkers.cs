namespace Orchestrator.Models.Synthesis;

/// <summary>
/// Child processes that synthesise a corpus side by side. Flite keeps global state (voice features,
/// libc's rand) and is not thread-safe, so using more than one core takes more than one process.
/// </summary>
/// <param name="Command">Program and arguments that start one worker: a process that runs
/// <see cref="SynthesisWorker.Serve"/> on its standard input and output for the folder given as its last argument,
/// which <see cref="SyntheticCorpus.Write(string, SyntheticCorpusOptions, SynthesisWorkers, IProgress{int}?, CancellationToken)"/> appends.</param>
/// <param name="Count">Workers started; never more than there are utterances.</param>
public sealed record SynthesisWorkers(IReadOnlyList<string> Command, int Count);
