namespace Orchestrator.Models.Features.Store;

/// <summary>A feature store that cannot be used as it is; the message names the file and the problem.</summary>
public class FeatureStoreException(string message, Exception? inner = null) : Exception(message, inner);
