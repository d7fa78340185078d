using Npgsql;

namespace Convor.Infrastructure.Persistence;

/// <summary>
/// Npgsql settings Convor runs best with (measured by bench/, see docs/adr/0400). They are
/// defaults only: the same key in <c>ConnectionStrings:Convor</c> wins, because in a
/// connection string the last occurrence of a key counts.
/// </summary>
public static class PostgresConnectionDefaults
{
    /// <summary>
    /// <list type="bullet">
    /// <item><c>No Reset On Close</c>: Convor keeps no session state (no temp tables, SET,
    /// LISTEN or advisory locks), so the <c>DISCARD ALL</c> Npgsql otherwise sends each time a
    /// pooled connection is reused (three times per command) is pure database work.</item>
    /// <item><c>Max Auto Prepare</c>: EF sends the same few SQL texts again and again; once a
    /// text has been used <c>Auto Prepare Min Usages</c> times on a connection it is prepared
    /// there, and PostgreSQL stops parsing and planning it on every execution.</item>
    /// </list>
    /// </summary>
    public const string Defaults = "No Reset On Close=true;Max Auto Prepare=64;Auto Prepare Min Usages=2";

    /// <summary>
    /// <see cref="Defaults"/>, plus <c>Command Timeout</c> set to the timeout EF gives its commands
    /// (<c>Database:CommandTimeoutSeconds</c>), so that the commands Npgsql sends by itself use
    /// it too: Npgsql changes the socket's timeout (a <c>setsockopt</c> system call) whenever a
    /// command's timeout differs from the previous one's, which the CPU profile showed at about
    /// 2% of the API's busy time (docs/performance.md).
    /// </summary>
    public static string Apply(string connectionString, int commandTimeoutSeconds) =>
        new NpgsqlConnectionStringBuilder($"{Defaults};Command Timeout={commandTimeoutSeconds};{connectionString}").ConnectionString;
}
