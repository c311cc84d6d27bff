using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Tests.Corpus;

public sealed class UtteranceIdTests
{
    [Theory]
    [InlineData("Ses01F_impro01_F000", 1, "Ses01F_impro01", 'F')]
    [InlineData("Ses03M_impro05a_M012", 3, "Ses03M_impro05a", 'M')]
    [InlineData("Ses05M_script01_1b_F000", 5, "Ses05M_script01_1b", 'F')]
    public void Takes_session_dialog_and_gender_from_the_id(string text, int session, string dialog, char gender)
    {
        // Act
        var id = UtteranceId.TryParse(text, out var error);

        // Assert
        Assert.Null(error);
        Assert.Equal(new UtteranceId(text, session, dialog, gender), id);
    }

    [Theory]
    [InlineData("Ses06F_impro01_F000")]
    [InlineData("Ses00F_impro01_F000")]
    [InlineData("Ses01F_impro01_X000")]
    [InlineData("Ses01F_impro01_F00")]
    [InlineData("Ses01F_F000")]
    [InlineData("M_XXX")]
    public void Rejects_what_is_not_an_utterance_id(string text)
    {
        // Act
        var id = UtteranceId.TryParse(text, out var error);

        // Assert
        Assert.Null(id);
        Assert.Contains(text, error);
    }
}
