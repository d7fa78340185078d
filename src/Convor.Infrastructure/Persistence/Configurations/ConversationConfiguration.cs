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
        // the list order, so a page filtered by one value is one ordered index range stopped
        // after `limit` rows, however rare the value (docs/adr/0101). A filter given several
        // values reads ix_conversations_org_order and skips the rows that match none (docs/adr/0620).
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
        // The waiting list of an organization, oldest request first; the drain reads it too. Only
        // waiting rows have a value, and the organization leads, so `?waiting=true` and the drain's
        // "oldest waiting of this organization" are one index range.
        builder.HasIndex(c => new { c.OrganizationId, c.WaitingSince, c.Id }).HasDatabaseName("ix_conversations_org_waiting");
        // Which organizations have a queue at all: the drain's first, cross-organization read.
        builder.HasIndex(c => new { c.WaitingSince, c.OrganizationId }).HasDatabaseName("ix_conversations_waiting");
    }
}
