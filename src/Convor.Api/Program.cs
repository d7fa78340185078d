using Convor.Api;
using Convor.Api.Admin;

// One executable, two faces: `orgs …` / `keys …` run an admin command against the API's own
// configuration and exit; anything else runs the HTTP API.
if (AdminCommandLine.IsAdminCommand(args))
    return await AdminCommandLine.RunAsync(args, Console.Out, Console.Error);

var app = ConvorApi.Build(args);
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
