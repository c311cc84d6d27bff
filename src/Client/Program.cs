using Orchestrator.Client;

return await CliApp.Build().Parse(args).InvokeAsync();
