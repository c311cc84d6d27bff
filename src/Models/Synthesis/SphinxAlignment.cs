namespace Orchestrator.Models.Synthesis;

/// <summary>The three segmentations of one utterance, as its .phseg, .wdseg and .syseg files list them.</summary>
public sealed record SphinxAlignment(IReadOnlyList<SphinxRow> Phones, IReadOnlyList<SphinxRow> Words, IReadOnlyList<SphinxRow> Syllables);
