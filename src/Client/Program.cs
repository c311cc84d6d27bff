using Orchestrator.Client;
using System.CommandLine;
using Orchestrator.Client.Commands;

ParentWatch.ExitWithParent();
// SIGTERM: System.CommandLine ends the process after ProcessTerminationTimeout (2 s by default); a silo
// needs its host's whole shutdown (30 s at most) to hand its runs back and leave the membership table.
return await CliApp.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(35) });
