using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Idempotency;
using Convor.Infrastructure.Administration;
using Convor.Infrastructure.ApiKeys;
using Convor.Infrastructure.Idempotency;
using Convor.Infrastructure.Persistence;
using Convor.Infrastructure.Queries;
using Convor.Infrastructure.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Persistence, stores and API-key authentication. <paramref name="contentRoot"/> is the
    /// directory a relative SQLite file path is resolved against, so the database is the same
    /// file whichever directory the process starts in.
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        AddDatabase(services, database, connectionString, contentRoot);

        services.AddScoped<IConversationRepository, ConversationRepository>();
        services.AddScoped<IOperatorRepository, OperatorRepository>();
        services.AddScoped<IVisitorRepository, VisitorRepository>();
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<IConversationQueries, ConversationQueries>();
        services.AddScoped<IOperatorQueries, OperatorQueries>();
        services.AddScoped<IApiKeyAuthenticator, ApiKeyAuthenticator>();
        services.AddSingleton<IIdempotencyStore, EfIdempotencyStore>();
        services.AddScoped<AdminService>();
        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<DemoDataSeeder>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<IApiKeyRevocations>(sp => sp.GetRequiredService<ApiKeyCache>());
        return services;
    }

    private static void AddDatabase(IServiceCollection services, DatabaseOptions database, string? connectionString, string contentRoot)
    {
        var timeout = database.CommandTimeoutSeconds;
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                AddPooledContext<SqliteConvorDbContext>(services, o => o.UseSqlite(
                    SqliteConnectionStrings.Rooted(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString, contentRoot),
                    sqlite => sqlite.CommandTimeout(timeout)));
                break;
            case DatabaseProvider.SqlServer:
                AddPooledContext<SqlServerConvorDbContext>(services, o => o.UseSqlServer(
                    Require(connectionString, database.Provider),
                    sql => sql.CommandTimeout(timeout).EnableRetryOnFailure(database.MaxRetryCount)));
                break;
            case DatabaseProvider.Postgres:
                var postgres = PostgresConnectionDefaults.Apply(Require(connectionString, database.Provider));
                AddPooledContext<PostgresConvorDbContext>(services, o => o.UseNpgsql(
                    postgres,
                    pg => pg.CommandTimeout(timeout).EnableRetryOnFailure(database.MaxRetryCount)));
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{database.Provider}'.");
        }
    }

    /// <summary>
    /// Contexts are pooled: one instance, with its options and internal services, serves request
    /// after request instead of being built for each. The caller is its only per-request state:
    /// set here on every rent, cleared on return (<see cref="ConvorDbContext.Dispose"/>).
    /// Only <see cref="ConvorDbContext"/> is registered for injection: the container disposes
    /// every instance a factory registration returns, and a pooled instance disposed twice could
    /// be given back to the pool while another request holds it.
    /// </summary>
    private static void AddPooledContext<TContext>(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : ConvorDbContext
    {
        services.AddPooledDbContextFactory<TContext>(options =>
        {
            configure(options);
            options.ConfigureWarnings(warnings => warnings.Ignore(FailureEvents));
        });
        services.AddScoped<ConvorDbContext>(sp =>
        {
            var context = sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            context.Caller = sp.GetService<ICurrentCaller>();
            return context;
        });
    }

    /// <summary>
    /// EF's own Error-level lines for a failed command, save, query, connection or
    /// transaction. Every such failure is an exception that reaches a caller which knows
    /// better: expected races (a duplicate idempotency key, a taken operator email) are
    /// handled and are not errors, and their provider message can carry the duplicate value
    /// (on SQL Server, an email); real faults are logged once, by the API's exception handler.
    /// </summary>
    internal static readonly Microsoft.Extensions.Logging.EventId[] FailureEvents =
    [
        Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError,
        Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.ConnectionError,
        Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.TransactionError,
        Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed,
        Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.QueryIterationFailed,
    ];

    private static string Require(string? connectionString, DatabaseProvider provider) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"Database:Provider is {provider}, so ConnectionStrings:Convor must be set.")
            : connectionString;
}
