namespace Orchestrator.Models.Fusion;

/// <summary>What a model expects of one stream: <see cref="Layers"/> stored encoder layers L of width <see cref="Width"/> H.</summary>
public sealed record StreamShape(int Layers, int Width)
{
    /// <summary>Throws naming <paramref name="what"/> unless both are positive.</summary>
    public void Validate(string what)
    {
        if (Layers < 1) throw new ArgumentException($"{what}: a stream needs at least one layer, got {Layers}.");
        if (Width < 1) throw new ArgumentException($"{what}: a stream needs a positive width, got {Width}.");
    }
}
