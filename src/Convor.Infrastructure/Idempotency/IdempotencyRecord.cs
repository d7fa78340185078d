using Convor.Application.Common.Idempotency;
using Convor.Domain.Common;
using Convor.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Convor.Infrastructure.Idempotency;

/// <summary>
/// One row of <c>idempotency_keys</c>: the request that claimed (organization, key), and once
/// it finished, the answer a retry gets back. Not a domain object: it records HTTP exchanges.
/// </summary>
public sealed class IdempotencyRecord
{
    public OrganizationId OrganizationId { get; set; }
    public string Key { get; set; } = string.Empty;

    /// <summary>Lower-case hex SHA-256 of method, path and canonical body.</summary>
    public string RequestFingerprint { get; set; } = string.Empty;

    public IdempotencyStatus Status { get; set; }

    /// <summary>Which attempt holds the row; completing or releasing checks it, so a taken-over row is left alone.</summary>
    public Guid AttemptId { get; set; }

    public int? ResponseStatus { get; set; }

    /// <summary>The replayed headers as a JSON object, e.g. <c>{"ETag":"\"3\""}</c>.</summary>
    public string? ResponseHeaders { get; set; }

    public string? ResponseBody { get; set; }

    /// <summary>When the current attempt claimed the key.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        // The primary key is the unique index the protocol relies on: of two concurrent
        // inserts of the same (organization, key), the database lets exactly one through.
        builder.HasKey(r => new { r.OrganizationId, r.Key }).HasName("pk_idempotency_keys");
        builder.Property(r => r.Key).HasMaxLength(IdempotencyClaim.KeyMaxLength).IsUnicode(false);
        builder.Property(r => r.RequestFingerprint).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.ExpiresAt).HasDatabaseName("ix_idempotency_keys_expires_at");
    }
}
