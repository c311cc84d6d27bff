using System.CommandLine;
using System.Globalization;

namespace Orchestrator.Client.Commands;

/// <summary>
/// Range checks that run while the command line is parsed, before a command creates a folder,
/// starts the private server or queues a run. Checked later, a bad value is found too late: an
/// `--lr -1` from cv would be queued as 5 runs that every worker fails three times, and a
/// `--slots 0` embedded sweep would wait forever for a slot. The message names the option.
/// </summary>
internal static class OptionRange
{
    /// <summary>Refuses values below <paramref name="minimum"/>; <paramref name="what"/> says what the option counts.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum, string what)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is var value && value < minimum) result.AddError(OutOfRange(option, value, minimum, what));
        });
        return option;
    }

    /// <inheritdoc cref="AtLeast(Option{int}, int, string)"/>
    public static Option<int?> AtLeast(this Option<int?> option, int minimum, string what)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value < minimum) result.AddError(OutOfRange(option, value, minimum, what));
        });
        return option;
    }

    /// <summary>Refuses zero, negative, infinite and NaN values.</summary>
    public static Option<double?> Positive(this Option<double?> option, string what)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && !(value > 0 && double.IsFinite(value)))
                result.AddError($"{option.Name} {value.ToString(CultureInfo.InvariantCulture)} is out of range: {what} is a positive number, e.g. 1e-3.");
        });
        return option;
    }

    private static string OutOfRange(Option option, int value, int minimum, string what) =>
        $"{option.Name} {value} is out of range: at least {minimum} {what}.";
}
