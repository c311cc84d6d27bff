using Orchestrator.Client;
using Orchestrator.Client.Commands;

WorkerProcesses.ExitWithParent();
return await CliApp.Build().Parse(args).InvokeAsync();
