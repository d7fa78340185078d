using System.Text.Json;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Serialization;
using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Organizations;
using Convor.Domain.Visitors;
using Convor.Domain.Webhooks;
using Convor.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Convor.Infrastructure.Persistence;

/// <summary>
/// The one model of Convor. Each provider has a thin subclass only so that its migrations
/// live apart (EF ties a migration to a context type); the model itself is shared.
/// </summary>
public abstract class ConvorDbContext : DbContext
{
    protected ConvorDbContext(DbContextOptions options) : base(options)
    {
    }

    /// <summary>
    /// The caller of the current request: whose organization the query filters let through and
    /// whose key the activity log names. Instances are pooled across requests (see
    /// DependencyInjection), so this is set each time one is handed out and cleared when it is
    /// given back.
    /// </summary>
    internal ICurrentCaller? Caller { get; set; }

    /// <summary>
    /// Turns the activity entries of a save into webhook deliveries in that same save. Set on
    /// every rent like <see cref="Caller"/>; null (no webhooks) for contexts made outside the API.
    /// </summary>
    internal WebhookOutbox? Outbox { get; set; }

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Operator> Operators => Set<Operator>();
    public DbSet<Visitor> Visitors => Set<Visitor>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ActivityLogEntry> ActivityLog => Set<ActivityLogEntry>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<Message> Messages => Set<Message>();

    /// <summary>
    /// The organization the global query filters let through: the caller's, or none at all
    /// when there is no caller. Code that must see across organizations (the admin command
    /// line, the snooze sweep, key lookup) says so with <c>IgnoreQueryFilters()</c>.
    /// </summary>
    internal OrganizationId CurrentOrganizationId => Caller?.OrganizationId ?? default;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ConvorDbContext).Assembly);

        // Second lock behind the handlers' (organization, id) lookups.
        modelBuilder.Entity<Conversation>().HasQueryFilter(c => c.OrganizationId == CurrentOrganizationId);
        modelBuilder.Entity<Operator>().HasQueryFilter(o => o.OrganizationId == CurrentOrganizationId);
        modelBuilder.Entity<Visitor>().HasQueryFilter(v => v.OrganizationId == CurrentOrganizationId);
        modelBuilder.Entity<ActivityLogEntry>().HasQueryFilter(e => e.OrganizationId == CurrentOrganizationId);
        modelBuilder.Entity<WebhookEndpoint>().HasQueryFilter(e => e.OrganizationId == CurrentOrganizationId);
        modelBuilder.Entity<Message>().HasQueryFilter(m => m.OrganizationId == CurrentOrganizationId);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<OrganizationId>().HaveConversion<IdConverters.OrganizationIdConverter>();
        configurationBuilder.Properties<OperatorId>().HaveConversion<IdConverters.OperatorIdConverter>();
        configurationBuilder.Properties<VisitorId>().HaveConversion<IdConverters.VisitorIdConverter>();
        configurationBuilder.Properties<ConversationId>().HaveConversion<IdConverters.ConversationIdConverter>();
        configurationBuilder.Properties<ApiKeyId>().HaveConversion<IdConverters.ApiKeyIdConverter>();
        configurationBuilder.Properties<WebhookEndpointId>().HaveConversion<IdConverters.WebhookEndpointIdConverter>();
        configurationBuilder.Properties<WebhookDeliveryId>().HaveConversion<IdConverters.WebhookDeliveryIdConverter>();
        configurationBuilder.Properties<MessageId>().HaveConversion<IdConverters.MessageIdConverter>();
        configurationBuilder.Properties<ConversationMetadata>().HaveConversion<MetadataConverter>();
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Changes are detected once: every Entries() below, and SaveChanges itself, would scan
        // every tracked entity again. What this method adds afterwards is added as Added.
        ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await SaveDetectedChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    /// <summary>
    /// The tracked entries of type <typeparamref name="T"/> as they stand, without the scan of
    /// every tracked entity for changes that <c>ChangeTracker.Entries</c> starts with: domain
    /// events and entity states set by hand need no scan, and the save makes its own, once.
    /// </summary>
    internal List<EntityEntry<T>> TrackedEntries<T>() where T : class
    {
        var detects = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return ChangeTracker.Entries<T>().ToList();
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detects;
        }
    }

    private async Task<int> SaveDetectedChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var aggregates = TrackedEntries<AggregateRoot>()
            .Select(e => e.Entity)
            .Where(a => a.DomainEvents.Count > 0)
            .ToList();

        // The activity log, a new message (which the conversation hands over in its event rather
        // than in a collection that would have to be loaded whole) and the webhook deliveries made
        // from the log are written by the same SaveChanges, hence the same transaction, as the
        // change they record.
        var entries = new List<ActivityLogEntry>();
        foreach (var activity in aggregates.SelectMany(a => a.DomainEvents).OfType<ConversationActivity>())
        {
            if (activity is MessageAdded added) Messages.Add(added.Message);
            entries.Add(ActivityLog.Add(ActivityLogEntry.Record(activity, Caller?.Actor ?? ActivityActor.System, JsonSerializer.Serialize(activity.Data, WireJson.Options))).Entity);
        }
        var queued = Outbox is not null && await Outbox.QueueAsync(this, entries, cancellationToken);
        var changedSubscriptions = Outbox is null ? [] : WebhookOutbox.OrganizationsWithChangedEndpoints(this);

        var written = Database.CurrentTransaction is null && SaveTransactions.CanSaveAsOneBatch(this, entries)
            ? await SaveAsOneBatchAsync(acceptAllChangesOnSuccess, cancellationToken)
            : await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        foreach (var aggregate in aggregates) aggregate.ClearDomainEvents();
        Outbox?.Committed(queued, changedSubscriptions);
        return written;
    }

    /// <summary>
    /// The save as one batch in PostgreSQL's implicit transaction (docs/adr/1100). EF does not
    /// retry a save it runs without a transaction (it cannot know it is one batch); this one is,
    /// so a transient failure sends it again as EF does for a transaction, and a resend after a
    /// lost acknowledgement meets its own committed keys (the unit of work recognizes that).
    /// </summary>
    private async Task<int> SaveAsOneBatchAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            return await Database.CreateExecutionStrategy().ExecuteAsync(
                (Context: this, Accept: acceptAllChangesOnSuccess),
                static (_, state, token) => state.Context.SaveWithoutOverrideAsync(state.Accept, token),
                verifySucceeded: null,
                cancellationToken);
        }
        finally
        {
            Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
        }
    }

    private Task<int> SaveWithoutOverrideAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken) =>
        base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

    public override void Dispose()
    {
        Caller = null;
        Outbox = null;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        Caller = null;
        Outbox = null;
        return base.DisposeAsync();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: the activity log is written there.");
}

public sealed class SqliteConvorDbContext(DbContextOptions<SqliteConvorDbContext> options)
    : ConvorDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no date type and EF cannot compare or order DateTimeOffset there; UTC
        // DateTime text ("2026-06-23 08:58:00.123") compares and sorts correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeConverter>();
    }
}

public sealed class SqlServerConvorDbContext(DbContextOptions<SqlServerConvorDbContext> options)
    : ConvorDbContext(options);

public sealed class PostgresConvorDbContext(DbContextOptions<PostgresConvorDbContext> options)
    : ConvorDbContext(options);
