using Convor.Domain.Organizations;
using Convor.Domain.Webhooks;
using Convor.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Convor.Infrastructure.Persistence.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength).IsRequired();
        builder.Property(e => e.Events).HasMaxLength(400).IsRequired();
        builder.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
        builder.Property(e => e.ProtectedSecret).HasMaxLength(200).IsRequired();
        builder.Property(e => e.PreviousProtectedSecret).HasMaxLength(200);
        builder.Ignore(e => e.EventList);
        builder.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        // The list order, and the outbox's "which endpoints of this organization" lookup.
        builder.HasIndex(e => new { e.OrganizationId, e.CreatedAt, e.Id }).HasDatabaseName("ix_webhook_endpoints_org_order");
    }
}

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

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Error).HasMaxLength(WebhookAttempt.ErrorMaxLength);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.DeliveryId, a.Number }).IsUnique().HasDatabaseName("ux_webhook_attempts_number");
    }
}
