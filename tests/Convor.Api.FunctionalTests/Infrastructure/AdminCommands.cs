using System.Text.Json;
using Convor.Api.Admin;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>The admin command line, run in process exactly as the executable runs it.</summary>
public static class AdminCommands
{
    /// <summary><c>--key=value</c> arguments for <paramref name="settings"/>, as the executable takes configuration.</summary>
    public static IEnumerable<string> Arguments(IReadOnlyDictionary<string, string> settings) =>
        settings.Select(s => $"--{s.Key}={s.Value}");

    /// <summary>Runs one command; asserts exit code 0 and returns its JSON line.</summary>
    public static async Task<JsonElement> RunAsync(params IEnumerable<string>[] arguments)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AdminCommandLine.RunAsync([.. arguments.SelectMany(a => a)], stdout, stderr);
        exit.ShouldBe(0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        return json.RootElement.Clone();
    }

    /// <summary><c>orgs create</c>: the new organization's id and API key.</summary>
    public static async Task<(Guid OrgId, string ApiKey)> CreateOrganizationAsync(string name, IEnumerable<string> settings)
    {
        var created = await RunAsync(["orgs", "create", "--name", name], settings);
        return (created.GetProperty("orgId").GetGuid(), created.GetProperty("apiKey").GetString()!);
    }
}
