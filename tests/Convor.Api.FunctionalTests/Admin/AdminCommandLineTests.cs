using System.Net;
using System.Text.Json;
using Convor.Api.Admin;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Admin;

/// <summary>
/// The admin commands run in process exactly as the executable runs them (same configuration
/// keys, passed on the command line), against the database the API under test uses.
/// </summary>
public sealed class AdminCommandLineTests(string database) : ApiTestBase(database)
{
    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] config =
        [
            $"--Database:Provider={Factory.Database.Provider}",
            $"--ConnectionStrings:Convor={Factory.Database.ConnectionString}",
        ];
        var exit = await AdminCommandLine.RunAsync([.. args, .. config], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public async Task Orgs_create_prints_one_json_line_with_a_working_key()
    {
        var (exit, output, _) = await RunAsync("orgs", "create", "--name", "Cli Org");

        exit.ShouldBe(0);
        output.TrimEnd('\n', '\r').ShouldNotContain('\n');
        using var json = JsonDocument.Parse(output);
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["orgId", "apiKey"]);
        var apiKey = json.RootElement.GetProperty("apiKey").GetString()!;
        apiKey.ShouldStartWith("cvr_");

        using var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        using var response = await client.PostAsync("/api/conversations", Json("""{"channel":"api"}"""));
        var created = await ShouldBeOkAsync(response, HttpStatusCode.Created);
        created["orgId"]!.GetValue<string>().ShouldBe(json.RootElement.GetProperty("orgId").GetString());
    }

    [Test]
    public async Task Keys_create_with_scopes_limits_the_key_and_keys_revoke_disables_it()
    {
        var (exit, output, _) = await RunAsync("keys", "create", "--org", Org.OrgId.ToString(), "--scopes", "conversations:read");
        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["keyId", "apiKey"]);
        using var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", json.RootElement.GetProperty("apiKey").GetString());

        using var write = await client.PostAsync("/api/conversations", Json("""{"channel":"api"}"""));
        await ShouldBeErrorAsync(write, HttpStatusCode.Forbidden, "forbidden");

        var (revokeExit, revokeOutput, _) = await RunAsync("keys", "revoke", "--key", json.RootElement.GetProperty("keyId").GetString()!);
        revokeExit.ShouldBe(0);
        revokeOutput.ShouldContain("\"revoked\":true");
    }

    [TestCase(new[] { "orgs", "create" }, 2)]
    [TestCase(new[] { "keys", "create", "--org", "not-a-uuid" }, 2)]
    [TestCase(new[] { "keys", "delete", "--key", "00000000-0000-0000-0000-000000000001" }, 2)]
    [TestCase(new[] { "keys", "create", "--org", "00000000-0000-0000-0000-000000000001" }, 1)]
    [TestCase(new[] { "keys", "revoke", "--key", "00000000-0000-0000-0000-000000000001" }, 1)]
    public async Task Bad_usage_or_unknown_ids_fail_with_nothing_on_stdout(string[] args, int expectedExit)
    {
        var (exit, output, error) = await RunAsync(args);

        exit.ShouldBe(expectedExit);
        output.ShouldBeEmpty();
        error.ShouldNotBeEmpty();
    }

    [Test]
    public async Task Unknown_scope_is_refused()
    {
        var (exit, output, error) = await RunAsync("keys", "create", "--org", Org.OrgId.ToString(), "--scopes", "everything");

        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldContain("everything");
    }
}
