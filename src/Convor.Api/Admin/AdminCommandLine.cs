using System.Text.Json;
using Convor.Domain.ApiKeys;
using Convor.Infrastructure;
using Convor.Infrastructure.Administration;
using Convor.Infrastructure.Persistence;

namespace Convor.Api.Admin;

/// <summary>
/// <c>orgs create --name N</c>, <c>keys create --org ID [--scopes a,b]</c>, <c>keys revoke --key ID</c>.
/// Runs with the API's own configuration (same database), applies pending migrations first,
/// and writes only its one JSON line to stdout; problems go to stderr with exit code 1 (bad
/// usage 2).
/// </summary>
public static class AdminCommandLine
{
    public const string Usage = """
        usage:
          Convor.Api orgs create --name <name>
          Convor.Api keys create --org <orgId> [--scopes conversations:read,conversations:write,operators:read,operators:write]
          Convor.Api keys revoke --key <keyId>
        """;

    public static bool IsAdminCommand(string[] args) =>
        args is { Length: > 0 } && args[0] is "orgs" or "keys";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        if (!TryParse(args, out var command, out var options, out var problem))
        {
            await stderr.WriteLineAsync(problem);
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            // Inside the try: a configuration the host refuses (a provider without its
            // connection string, an out-of-range option) is a message and exit 1, not a crash.
            using var host = BuildHost(args);
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().MigrateAsync(cancellationToken);
            var admin = scope.ServiceProvider.GetRequiredService<AdminService>();
            object output;
            switch (command)
            {
                case "orgs create":
                    var organization = await admin.CreateOrganizationAsync(options["name"], cancellationToken);
                    output = new { orgId = organization.OrgId, apiKey = organization.ApiKey };
                    break;
                case "keys create":
                    var key = await admin.CreateKeyAsync(Guid.Parse(options["org"]), ParseScopes(options.GetValueOrDefault("scopes")), cancellationToken);
                    output = new { keyId = key.KeyId, apiKey = key.ApiKey };
                    break;
                default: // keys revoke
                    var keyId = Guid.Parse(options["key"]);
                    if (!await admin.RevokeKeyAsync(keyId, cancellationToken))
                    {
                        await stderr.WriteLineAsync($"API key {keyId} does not exist.");
                        return 1;
                    }
                    output = new { keyId, revoked = true };
                    break;
            }
            await stdout.WriteLineAsync(JsonSerializer.Serialize(output));
            return 0;
        }
        catch (Exception exception) when (exception is KeyNotFoundException or ArgumentException or Domain.Common.DomainException)
        {
            await stderr.WriteLineAsync(exception.Message);
            return 1;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Configuration or database trouble: one line for the operator, no stack trace
            // (its frames say nothing the operator can act on; the message and type do).
            await stderr.WriteLineAsync($"The command failed ({exception.GetType().Name}): {exception.GetBaseException().Message}");
            return 1;
        }
    }

    private static IHost BuildHost(string[] args)
    {
        // The same configuration sources as the API (appsettings*.json next to the binaries,
        // environment variables, command line); no web server, logs to stderr only.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
        return builder.Build();
    }

    private static string[]? ParseScopes(string? value)
    {
        if (value is null) return null;
        var scopes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = scopes.Where(s => !ApiKeyScopes.All.Contains(s)).ToList();
        if (unknown.Count > 0 || scopes.Length == 0)
            throw new ArgumentException($"Unknown scope(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", ApiKeyScopes.All)}.");
        return scopes;
    }

    private static bool TryParse(string[] args, out string command, out Dictionary<string, string> options, out string problem)
    {
        command = args.Length >= 2 ? $"{args[0]} {args[1]}" : args.FirstOrDefault() ?? string.Empty;
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = string.Empty;
        (string Required, string[] Allowed)? shape = command switch
        {
            "orgs create" => ("name", ["name"]),
            "keys create" => ("org", ["org", "scopes"]),
            "keys revoke" => ("key", ["key"]),
            _ => null,
        };
        if (shape is null)
        {
            problem = $"Unknown command '{command}'.";
            return false;
        }

        // Options of ours; anything else (e.g. --Database:Provider=Postgres) is configuration.
        for (var i = 2; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is null || !shape.Value.Allowed.Contains(name)) continue;
            if (i + 1 >= args.Length)
            {
                problem = $"--{name} needs a value.";
                return false;
            }
            options[name] = args[++i];
        }

        if (!options.TryGetValue(shape.Value.Required, out var required) || string.IsNullOrWhiteSpace(required))
        {
            problem = $"--{shape.Value.Required} is required.";
            return false;
        }
        foreach (var idOption in new[] { "org", "key" })
        {
            if (options.TryGetValue(idOption, out var id) && !Guid.TryParse(id, out _))
            {
                problem = $"--{idOption} must be a UUID.";
                return false;
            }
        }
        return true;
    }
}
