using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Organizations;
using Convor.Domain.Visitors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Convor.Infrastructure.Persistence.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("conversations");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Ignore(c => c.DomainEvents);

        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Priority).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.ResolvedBy).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Metadata).IsRequired();
        builder.Property(c => c.SearchVector).IsRequired();
        builder.Property(c => c.MessageSearchText).IsRequired().HasDefaultValue(string.Empty);

        // Optimistic concurrency: every UPDATE says "WHERE version = <the version I read>".
        builder.Property(c => c.Version).IsConcurrencyToken();

        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Visitor>().WithMany().HasForeignKey(c => c.VisitorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Operator>().WithMany().HasForeignKey(c => c.AssignedOperatorId).OnDelete(DeleteBehavior.Restrict);

        // Every read is by organization first; the list is ordered by last message, created, id.
        // Each list filter has an index that starts (organization, filter value) and ends with
        // the list order, so a filtered page is one ordered index range stopped after `limit`
        // rows, however rare the value (docs/adr/0101).
        builder.HasIndex(c => new { c.OrganizationId, c.LastMessageAt, c.CreatedAt, c.Id }).HasDatabaseName("ix_conversations_org_order");
        builder.HasIndex(c => new { c.OrganizationId, c.Status, c.LastMessageAt, c.CreatedAt, c.Id }).HasDatabaseName("ix_conversations_org_status_order");
        builder.HasIndex(c => new { c.OrganizationId, c.AssignedOperatorId, c.LastMessageAt, c.CreatedAt, c.Id }).HasDatabaseName("ix_conversations_org_operator_order");
        builder.HasIndex(c => new { c.OrganizationId, c.Priority, c.LastMessageAt, c.CreatedAt, c.Id }).HasDatabaseName("ix_conversations_org_priority_order");
        builder.HasIndex(c => new { c.OrganizationId, c.Channel, c.LastMessageAt, c.CreatedAt, c.Id }).HasDatabaseName("ix_conversations_org_channel_order");
        // The snooze sweep reads across organizations by snooze end. The end leads (only snoozed
        // rows have one), so this index never looks like a way to read one organization's
        // snoozed conversations: planners without statistics (SQLite) picked it over
        // ix_conversations_org_status_order for `status=snoozed` when Status led.
        builder.HasIndex(c => new { c.SnoozedUntil, c.Status }).HasDatabaseName("ix_conversations_snooze_sweep");
    }
}

internal sealed class ActivityLogEntryConfiguration : IEntityTypeConfiguration<ActivityLogEntry>
{
    public void Configure(EntityTypeBuilder<ActivityLogEntry> builder)
    {
        builder.ToTable("conversation_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Type).HasMaxLength(32).IsRequired();
        builder.Property(e => e.Actor).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Data).IsRequired();
        builder.HasOne<Conversation>().WithMany().HasForeignKey(e => e.ConversationId).OnDelete(DeleteBehavior.Cascade);

        // One entry per version: a lost update would need two entries with the same version,
        // so this index is a last line of defence as well as the log's order.
        builder.HasIndex(e => new { e.ConversationId, e.Version }).IsUnique().HasDatabaseName("ux_conversation_events_version");
        builder.HasIndex(e => new { e.OrganizationId, e.ConversationId }).HasDatabaseName("ix_conversation_events_org");
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Author).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Body).IsRequired();
        builder.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Operator>().WithMany().HasForeignKey(m => m.OperatorId).OnDelete(DeleteBehavior.Restrict);

        // One message per conversation version: the list's order and keyset, read as one
        // forward range, and a last line of defence against two writers of the same version.
        builder.HasIndex(m => new { m.ConversationId, m.ConversationVersion }).IsUnique().HasDatabaseName("ux_messages_conversation_version");
        builder.HasIndex(m => new { m.OrganizationId, m.ConversationId }).HasDatabaseName("ix_messages_org");
    }
}
