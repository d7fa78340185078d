using Convor.Application.Common.Abstractions;
using Convor.Infrastructure.Administration;
using Convor.Infrastructure.ApiKeys;
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
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));

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
        services.AddScoped<AdminService>();
        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<DemoDataSeeder>();
        services.AddMemoryCache();
        return services;
    }

    private static void AddDatabase(IServiceCollection services, DatabaseOptions database, string? connectionString, string contentRoot)
    {
        var timeout = database.CommandTimeoutSeconds;
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<SqliteConvorDbContext>(o => o.UseSqlite(
                    SqliteConnectionStrings.Rooted(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString, contentRoot),
                    sqlite => sqlite.CommandTimeout(timeout)));
                services.AddScoped<ConvorDbContext>(sp => sp.GetRequiredService<SqliteConvorDbContext>());
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContext<SqlServerConvorDbContext>(o => o.UseSqlServer(
                    Require(connectionString, database.Provider),
                    sql => sql.CommandTimeout(timeout).EnableRetryOnFailure(database.MaxRetryCount)));
                services.AddScoped<ConvorDbContext>(sp => sp.GetRequiredService<SqlServerConvorDbContext>());
                break;
            case DatabaseProvider.Postgres:
                var postgres = PostgresConnectionDefaults.Apply(Require(connectionString, database.Provider));
                services.AddDbContext<PostgresConvorDbContext>(o => o.UseNpgsql(
                    postgres,
                    pg => pg.CommandTimeout(timeout).EnableRetryOnFailure(database.MaxRetryCount)));
                services.AddScoped<ConvorDbContext>(sp => sp.GetRequiredService<PostgresConvorDbContext>());
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{database.Provider}'.");
        }
    }

    private static string Require(string? connectionString, DatabaseProvider provider) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"Database:Provider is {provider}, so ConnectionStrings:Convor must be set.")
            : connectionString;
}
