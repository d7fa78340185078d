using Convor.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Convor.Infrastructure.Persistence.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.EventType).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Payload).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(WebhookAttempt.ErrorMaxLength);
        builder.Property(d => d.LeaseToken).IsConcurrencyToken();
        // No foreign key to the endpoint on purpose: an instance whose subscription cache is a
        // moment stale may still queue a row for an endpoint just deleted elsewhere, and that
        // must not fail the user's command. Such rows are never claimed (no active endpoint).
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt }).HasDatabaseName("ix_webhook_deliveries_due");
        builder.HasIndex(d => new { d.EndpointId, d.Id }).HasDatabaseName("ix_webhook_deliveries_endpoint");
        builder.HasIndex(d => new { d.EndpointId, d.Status, d.Id }).HasDatabaseName("ix_webhook_deliveries_endpoint_status");
    }
}
