using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Idempotency;
using Convor.Infrastructure.Administration;
using Convor.Infrastructure.ApiKeys;
using Convor.Infrastructure.Idempotency;
using Convor.Infrastructure.Persistence;
using Convor.Infrastructure.Queries;
using Convor.Infrastructure.Redis;
using Convor.Infrastructure.Repositories;
using Convor.Infrastructure.Webhooks;
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
        AddWebhooks(services, configuration);
        AddRedis(services, configuration);
        return services;
    }

    /// <summary>Endpoints, the outbox, secret protection, and the sending side of the dispatcher (the loop itself is hosted by the API).</summary>
    private static void AddWebhooks(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.SecretEncryptionKey is null || WebhookSecretProtector.IsValidKey(o.SecretEncryptionKey), "Webhooks:SecretEncryptionKey must be the base64 of 32 bytes.")
            .Validate(o => { try { return o.RetryDelays().All(d => d >= TimeSpan.Zero); } catch (FormatException) { return false; } }, "Webhooks:RetryDelaysSeconds must be comma-separated non-negative numbers.")
            .ValidateOnStart();
        services.AddScoped<IWebhookEndpointRepository, WebhookEndpointRepository>();
        services.AddScoped<IWebhookQueries, WebhookQueries>();
        services.AddScoped<IWebhookDeliveryQueue, WebhookDeliveryQueue>();
        services.AddScoped<WebhookDeliveryStore>();
        services.AddSingleton<WebhookSecretProtector>();
        services.AddSingleton<IWebhookSecrets>(sp => sp.GetRequiredService<WebhookSecretProtector>());
        services.AddSingleton<IWebhookUrlPolicy, ConfiguredWebhookUrlPolicy>();
        services.AddSingleton<WebhookDispatchSignal>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton<IWebhookSocketOpener, TcpWebhookSocketOpener>();
        services.AddSingleton<WebhookConnector>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan) // the sender times each attempt
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                MaxResponseHeadersLength = 64, // KiB
                PooledConnectionLifetime = TimeSpan.FromMinutes(1), // DNS answers are re-checked at least this often
                ConnectCallback = sp.GetRequiredService<WebhookConnector>().ConnectAsync,
            })
            // The default handler logs every URL; endpoint URLs may carry tokens of the receiver.
            .RemoveAllLoggers();
    }

    /// <summary>
    /// With <c>Redis:Configuration</c>: the shared rate-limit counter and the revocation
    /// broadcast (whose subscription starts with the host). Without it nothing is shared.
    /// </summary>
    private static void AddRedis(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var redis = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        if (!redis.IsConfigured)
        {
            // Revocations reach only this process's cache; others see them by the cache bound.
            services.AddSingleton<IApiKeyRevocations>(sp => sp.GetRequiredService<ApiKeyCache>());
            return;
        }
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<ISharedRateLimitCounter, RedisRateLimitCounter>();
        services.AddSingleton<RedisKeyRevocations>();
        services.AddSingleton<IApiKeyRevocations>(sp => sp.GetRequiredService<RedisKeyRevocations>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisKeyRevocations>());
    }

    private static void AddDatabase(IServiceCollection services, DatabaseOptions database, string? connectionString, string contentRoot)
    {
        var timeout = database.CommandTimeoutSeconds;
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddSingleton<ConversationSearch, SqliteFullTextSearch>();
                AddPooledContext<SqliteConvorDbContext>(services, o => o.UseSqlite(
                    SqliteConnectionStrings.Rooted(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString, contentRoot),
                    sqlite => sqlite.CommandTimeout(timeout)));
                break;
            case DatabaseProvider.SqlServer:
                services.AddSingleton<ConversationSearch, ScanSearch>();
                AddPooledContext<SqlServerConvorDbContext>(services, o => o.UseSqlServer(
                    Require(connectionString, database.Provider),
                    sql => sql.CommandTimeout(timeout).EnableRetryOnFailure(database.MaxRetryCount)));
                break;
            case DatabaseProvider.Postgres:
                services.AddSingleton<ConversationSearch, PostgresWordSearch>();
                var postgres = PostgresConnectionDefaults.Apply(Require(connectionString, database.Provider), timeout);
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
            context.Outbox = sp.GetService<WebhookOutbox>();
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
