using Convor.Domain.ApiKeys;
using Convor.Domain.Operators;
using Convor.Domain.Organizations;
using Convor.Domain.Visitors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Convor.Infrastructure.Persistence.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.ToTable("organizations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Name).HasMaxLength(Organization.NameMaxLength).IsRequired();
    }
}

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

internal sealed class OperatorConfiguration : IEntityTypeConfiguration<Operator>
{
    public void Configure(EntityTypeBuilder<Operator> builder)
    {
        builder.ToTable("operators");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Name).HasMaxLength(Operator.NameMaxLength).IsRequired();
        builder.Property(o => o.Email).HasMaxLength(Operator.EmailMaxLength).IsRequired();
        builder.Property(o => o.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.Availability).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(o => o.DomainEvents);

        // The per-operator serialization point of assignment (docs/adr/0800): every save that
        // assigns to this operator, or changes what routing may give it, says
        // "WHERE version = <the version I read>".
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.HasOne<Organization>().WithMany().HasForeignKey(o => o.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => new { o.OrganizationId, o.Email }).IsUnique().HasDatabaseName("ux_operators_org_email");
        builder.HasIndex(o => new { o.OrganizationId, o.CreatedAt, o.Id }).HasDatabaseName("ix_operators_org_order");
        // Routing reads the organization's online operators.
        builder.HasIndex(o => new { o.OrganizationId, o.Availability, o.Active }).HasDatabaseName("ix_operators_org_availability");
    }
}

internal sealed class VisitorConfiguration : IEntityTypeConfiguration<Visitor>
{
    public void Configure(EntityTypeBuilder<Visitor> builder)
    {
        builder.ToTable("visitors");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.HasOne<Organization>().WithMany().HasForeignKey(v => v.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => v.OrganizationId).HasDatabaseName("ix_visitors_org");
    }
}
