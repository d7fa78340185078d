using Convor.Domain.Organizations;
using Convor.Domain.Webhooks;
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
