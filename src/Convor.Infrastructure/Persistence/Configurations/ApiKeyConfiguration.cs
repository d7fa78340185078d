using Convor.Domain.ApiKeys;
using Convor.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Convor.Infrastructure.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Hash).HasMaxLength(64).IsRequired();
        builder.Property(k => k.Scopes).HasMaxLength(200).IsRequired();
        builder.Ignore(k => k.ScopeList);
        builder.Ignore(k => k.IsRevoked);
        builder.HasIndex(k => k.Hash).IsUnique().HasDatabaseName("ux_api_keys_hash");
        builder.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
