namespace Orchestrator.Models.Training;

/// <summary>How an epoch's training utterances are cut into mini-batches.</summary>
public enum BatchOrder
{
    /// <summary>
    /// The method's (method.md section 6; the paper names no grouping): the training split shuffled
    /// anew each epoch and cut into batches in that order.
    /// </summary>
    Shuffled,

    /// <summary>
    /// Batches of utterances of similar length, in a random order across the epoch: less padding for
    /// frame-level models. Off by default: it has not been shown to leave UA where plain shuffling
    /// puts it (docs/benchmarks.md, "Training fidelity").
    /// </summary>
    LengthBucketed,
}
