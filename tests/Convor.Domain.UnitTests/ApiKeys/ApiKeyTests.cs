using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
using Microsoft.Extensions.Time.Testing;

namespace Convor.Domain.UnitTests.ApiKeys;

public sealed class ApiKeyTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 23, 8, 58, 0, TimeSpan.Zero));
    private readonly OrganizationId _organizationId = OrganizationId.New();

    [Test]
    public void A_new_key_belongs_to_its_organization_keeps_only_the_hash_and_is_not_revoked()
    {
        var key = ApiKey.Create(_organizationId, Hash, ApiKeyScopes.All, _clock.GetUtcNow());

        key.OrganizationId.ShouldBe(_organizationId);
        key.Id.Value.ShouldNotBe(Guid.Empty);
        key.Hash.ShouldBe(Hash);
        key.CreatedAt.ShouldBe(_clock.GetUtcNow());
        key.IsRevoked.ShouldBeFalse();
        key.RevokedAt.ShouldBeNull();
    }

    [Test]
    public void The_four_contract_scopes_are_known()
    {
        ApiKeyScopes.All.ShouldBe(["conversations:read", "conversations:write", "operators:read", "operators:write", "webhooks:read", "webhooks:write"]);
        ApiKeyScopes.IsKnown("operators:write").ShouldBeTrue();
        ApiKeyScopes.IsKnown("Operators:Write").ShouldBeFalse();
        ApiKeyScopes.IsKnown("admin").ShouldBeFalse();
    }

    [Test]
    public void Scopes_are_stored_once_each_in_canonical_order()
    {
        var key = ApiKey.Create(_organizationId, Hash,
            ["operators:write", "conversations:read", "operators:write"], _clock.GetUtcNow());

        key.Scopes.ShouldBe("conversations:read operators:write");
        key.ScopeList.ShouldBe(["conversations:read", "operators:write"]);
    }

    [Test]
    public void An_unknown_scope_is_rejected_and_named()
    {
        var exception = Should.Throw<ArgumentException>(() =>
            ApiKey.Create(_organizationId, Hash, ["conversations:read", "conversations:delete"], _clock.GetUtcNow()));

        exception.Message.ShouldContain("conversations:delete");
    }

    [Test]
    public void A_key_without_scopes_is_rejected()
    {
        Should.Throw<ArgumentException>(() => ApiKey.Create(_organizationId, Hash, [], _clock.GetUtcNow()));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void A_key_without_hash_is_rejected(string hash)
    {
        Should.Throw<ArgumentException>(() => ApiKey.Create(_organizationId, hash, ApiKeyScopes.All, _clock.GetUtcNow()));
    }

    [Test]
    public void Revoking_records_the_time_as_utc_milliseconds()
    {
        var key = ApiKey.Create(_organizationId, Hash, ApiKeyScopes.All, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(1).Add(TimeSpan.FromTicks(3)));

        key.Revoke(_clock.GetUtcNow().ToOffset(TimeSpan.FromHours(1)));

        key.IsRevoked.ShouldBeTrue();
        key.RevokedAt.ShouldBe(key.CreatedAt.AddMinutes(1));
        key.RevokedAt!.Value.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Test]
    public void Revoking_twice_keeps_the_first_revocation_time()
    {
        var key = ApiKey.Create(_organizationId, Hash, ApiKeyScopes.All, _clock.GetUtcNow());
        key.Revoke(_clock.GetUtcNow());
        var firstRevocation = key.RevokedAt;
        _clock.Advance(TimeSpan.FromHours(1));

        key.Revoke(_clock.GetUtcNow());

        key.RevokedAt.ShouldBe(firstRevocation);
    }
}
