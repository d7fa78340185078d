using Convor.Domain.Operators;
using Convor.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Convor.Infrastructure.Persistence.Configurations;

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
