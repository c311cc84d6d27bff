namespace Orchestrator.Models.Tests.Corpus;

/// <summary>Sphinx-3 segmentation files in the release's layout: tab-led rows, runs of spaces, a footer.</summary>
internal static class SphinxFiles
{
    public const string Phseg =
        "\tSFrm  EFrm    SegAScr Phone\n" +
        "\t   0    12     -81632 SIL\n" +
        "\t  13    18     -50321 W AH SIL b\n" +
        "\t  19    25     -40112 AH W T i\n" +
        "\t  26    31     -30011 T AH SIL e\n" +
        "\t  32    40     -12000 SIL\n" +
        " Total score:  -214076\n";

    public const string Wdseg =
        "\tSFrm  EFrm    SegAScr Word\n" +
        "\t   0    12     -81632 <s>\n" +
        "\t  13    31    -120444 WHAT(2)\n" +
        "\t  32    36      -6000 ++LAUGHTER++\n" +
        "\t  37    40      -6000 </s>\n" +
        " Total score:  -214076\n";

    public const string Syseg =
        "\tSFrm  EFrm    SegAScr Syllable\n" +
        "\t   0    12     -81632 SIL\n" +
        "\t  13    31    -120444 W AH T\n" +
        "\t  32    40     -12000 SIL\n" +
        " Total score:  -214076\n";
}
