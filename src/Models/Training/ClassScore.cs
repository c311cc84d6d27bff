namespace Orchestrator.Models.Training;

/// <summary>One class' row of <see cref="ClassificationMetrics"/>.</summary>
/// <param name="Support">Test items whose true class this is (the confusion matrix' row sum).</param>
/// <param name="Predicted">Test items predicted as this class (the column sum).</param>
/// <param name="Recall">Correct / support; null when the class is absent from the test set (support 0).</param>
/// <param name="Precision">Correct / predicted; 0 when the class was never predicted (scikit-learn's zero_division=0).</param>
/// <param name="F1">2 P R / (P + R), 0 when P + R = 0; null when the class is absent from the test set.</param>
public sealed record ClassScore(int Support, int Predicted, double? Recall, double Precision, double? F1);
