using Orchestrator.Silo.Workers;

namespace Orchestrator.Silo.Tests;

/// <summary>A run process gets the settings that make training cheaper (docs/benchmarks.md, "Training speed").</summary>
public sealed class RunProcessTests
{
    [Fact]
    public async Task A_run_process_gets_the_allocator_and_jit_settings_of_training()
    {
        var outcome = await RunProcess.RunAsync(["/usr/bin/env"], _ => { }, 5, CancellationToken.None);

        Assert.Equal(0, outcome.ExitCode);
        var environment = outcome.Output.Split('\n');
        foreach (var (name, value) in RunProcess.TrainingEnvironment)
            Assert.True(environment.Contains($"{name}={value}") || Environment.GetEnvironmentVariable(name) is { Length: > 0 }, $"{name} not passed on");
    }
}
