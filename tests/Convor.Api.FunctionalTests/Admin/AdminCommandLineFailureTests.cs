using Convor.Api.Admin;

namespace Convor.Api.FunctionalTests.Admin;

/// <summary>
/// The admin command line when its configuration or database is broken: no fixture database
/// is needed, so these run once, not once per provider.
/// </summary>
public sealed class AdminCommandLineFailureTests
{
    [TestCase("--Database:Provider=Postgres", "--ConnectionStrings:Convor=")]
    [TestCase("--Database:Provider=Oracle", "--Database:MigrateOnStartup=true")]
    [TestCase("--Database:Provider=Sqlite", "--ConnectionStrings:Convor=Data Source=/nonexistent-convor-dir/sub/convor.db;Mode=ReadWrite")]
    public async Task Configuration_or_database_errors_are_a_message_on_stderr_and_exit_1(string provider, string setting)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await AdminCommandLine.RunAsync(["orgs", "create", "--name", "Broken", provider, setting], stdout, stderr);

        exit.ShouldBe(1);
        stdout.ToString().ShouldBeEmpty();
        stderr.ToString().ShouldStartWith("The command failed");
        stderr.ToString().ShouldNotContain("   at ");
    }
}
