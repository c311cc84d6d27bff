using System.CommandLine;

namespace Orchestrator.Client.Tests;

public sealed class CommandExamplesTests
{
    [Fact]
    public void Every_command_has_an_example_in_its_help()
    {
        var root = CliApp.Build();

        var missing = CommandExamples.Walk(root, "").Where(c => !CommandExamples.ByCommand.ContainsKey(c.Path)).Select(c => c.Path).ToList();
        var shown = CommandExamples.Walk(root, "").Where(c => c.Command.Description?.Contains($"Example:\n  orchestrator {CommandExamples.ByCommand[c.Path]}") == true).Count();

        Assert.True(missing.Count == 0, $"Commands without an example: {string.Join(", ", missing)}");
        Assert.Equal(CommandExamples.Walk(root, "").Count(), shown);
    }

    [Fact]
    public void Every_example_parses_against_the_command_it_documents()
    {
        var root = CliApp.Build();

        var commands = CommandExamples.Walk(root, "").ToDictionary(c => c.Path, c => c.Command);
        foreach (var (path, example) in CommandExamples.ByCommand)
        {
            Assert.True(commands.ContainsKey(path), $"The example for '{path}' documents a command that does not exist.");
            var result = root.Parse(example);
            Assert.True(result.Errors.Count == 0, $"orchestrator {example}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
            // A leaf's example runs the leaf itself; a group's shows one of its subcommands.
            var parsed = string.Join(' ', Ancestry(result.CommandResult));
            if (commands[path].Subcommands.Count == 0) Assert.Equal(path, parsed);
            else Assert.StartsWith(path + " ", parsed);
        }
    }

    private static IEnumerable<string> Ancestry(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult) names.Push(r.Command.Name);
        return names;
    }
}
