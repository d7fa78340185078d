using Convor.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Convor.Infrastructure.Persistence.Configurations;

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
