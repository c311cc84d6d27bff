namespace Orchestrator.Database;

/// <summary>A succeeded run as the results report draws it (<see cref="ReportData.RunsAsync"/>): its test scores and confusion matrix.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="ConfigurationKey">Its configuration, e.g. <c>late:T+F</c>.</param>
/// <param name="Fold">The test session.</param>
/// <param name="Repeat">The repeat, from 1.</param>
/// <param name="Ua">Test unweighted accuracy, a fraction.</param>
/// <param name="Wa">Test weighted accuracy, a fraction.</param>
/// <param name="MacroF1">Test macro F1, a fraction.</param>
/// <param name="Confusion"><c>Confusion[true, predicted]</c>: test utterances by true and predicted class (classes in <c>Emotion</c> order).</param>
public sealed record ReportRun(long RunId, string ConfigurationKey, int Fold, int Repeat, double Ua, double Wa, double MacroF1, int[,] Confusion);
