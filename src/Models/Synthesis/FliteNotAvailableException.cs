namespace Orchestrator.Models.Synthesis;

/// <summary>Flite's shared libraries could not be loaded; the message names the package to install.</summary>
public sealed class FliteNotAvailableException(string message, Exception? inner = null)
    : Exception(message, inner);
