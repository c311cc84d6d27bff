using Microsoft.Extensions.Hosting;

// The embedded single-machine silo: localhost clustering. Multi-machine membership in
// PostgreSQL and the coordinator/worker roles arrive with the orchestration work.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.UseLocalhostClustering());
await builder.Build().RunAsync();
