namespace Orchestrator.Models.Synthesis;

/// <summary>Words for the slots of <see cref="SentenceBank"/>: emotionally flat, spelled out (no digits),
/// so that transcripts and what Flite says stay word for word the same.</summary>
public static class SlotFillers
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Values =
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["name"] = ["Maria", "Jonah", "Priya", "Tom", "Eleanor", "Marcus", "Ruth", "Daniel", "Sofia", "Walter", "Nadia", "Oscar"],
            ["day"] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
            ["place"] = ["the library", "the station", "the office", "the market", "the harbour", "the gym", "the bakery", "the museum", "the garage", "the clinic"],
            ["thing"] = ["the car", "the laptop", "the tickets", "the keys", "the report", "the garden", "the old piano", "the kitchen", "the package", "the boat"],
            ["relative"] = ["my sister", "your brother", "our neighbour", "my uncle", "the landlord", "her cousin", "my boss", "the new manager"],
            ["event"] = ["the wedding", "the interview", "the concert", "the game", "the trip", "the party", "the exam", "the audition"],
        };
}
