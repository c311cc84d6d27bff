namespace Orchestrator.Models.Synthesis;

/// <summary>IEMOCAP's dialog naming: each improvisation and script is recorded twice per session, once
/// with the woman and once with the man wearing the motion capture (the F/M after the session).</summary>
internal static class DialogNames
{
    /// <summary>Ses01F_impro01, Ses01M_impro01, Ses01F_script01_1, Ses01M_script01_1, Ses01F_impro02, ...</summary>
    public static IEnumerable<string> For(int session)
    {
        for (var n = 0; ; n++)
        {
            var take = n / 2;
            var name = n % 2 == 0 ? $"impro{take + 1:00}" : $"script{take / 2 + 1:00}_{take % 2 + 1}";
            yield return $"Ses{session:00}F_{name}";
            yield return $"Ses{session:00}M_{name}";
        }
    }
}
