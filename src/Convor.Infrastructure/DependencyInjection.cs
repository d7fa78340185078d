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
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));

        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        AddDatabase(services, database, connectionString);

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

    private static void AddDatabase(IServiceCollection services, DatabaseOptions database, string? connectionString)
    {
        var timeout = database.CommandTimeoutSeconds;
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<SqliteConvorDbContext>(o => o.UseSqlite(
                    connectionString ?? DatabaseOptions.DefaultSqliteConnectionString,
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
                services.AddDbContext<PostgresConvorDbContext>(o => o.UseNpgsql(
                    Require(connectionString, database.Provider),
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
