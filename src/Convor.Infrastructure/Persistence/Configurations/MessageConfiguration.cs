using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Convor.Infrastructure.Persistence.Configurations;

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
