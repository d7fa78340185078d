using Convor.Domain.Common;
using Convor.Domain.Operators;
using Microsoft.Extensions.Time.Testing;

namespace Convor.Domain.UnitTests.Operators;

public sealed class OperatorTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 23, 8, 58, 0, TimeSpan.Zero));
    private readonly OrganizationId _organizationId = OrganizationId.New();

    private Operator NewOperator(bool active = true) =>
        Operator.Create(_organizationId, "Ada Lovelace", "ada@example.com", OperatorRole.Agent, active, _clock.GetUtcNow());

    [Test]
    public void A_new_operator_belongs_to_the_organization_with_the_given_role_and_state()
    {
        var @operator = Operator.Create(_organizationId, "Grace", "grace@example.com", OperatorRole.Admin, active: false, _clock.GetUtcNow());

        @operator.OrganizationId.ShouldBe(_organizationId);
        @operator.Id.Value.ShouldNotBe(Guid.Empty);
        @operator.Role.ShouldBe(OperatorRole.Admin);
        @operator.Active.ShouldBeFalse();
        @operator.CreatedAt.ShouldBe(_clock.GetUtcNow());
        @operator.UpdatedAt.ShouldBe(@operator.CreatedAt);
    }

    [Test]
    public void The_name_is_trimmed_and_the_email_trimmed_and_lower_cased()
    {
        var @operator = Operator.Create(_organizationId, "  Ada Lovelace ", " Ada.Lovelace@Example.COM ", OperatorRole.Agent, true, _clock.GetUtcNow());

        @operator.Name.ShouldBe("Ada Lovelace");
        @operator.Email.ShouldBe("ada.lovelace@example.com");
        Operator.NormalizeEmail(" Ada.Lovelace@Example.COM ").ShouldBe(@operator.Email);
    }

    [Test]
    public void Creation_time_is_stored_as_utc_truncated_to_milliseconds()
    {
        _clock.Advance(TimeSpan.FromTicks(12_345));

        var @operator = Operator.Create(_organizationId, "Ada", "ada@example.com", OperatorRole.Agent, true,
            _clock.GetUtcNow().ToOffset(TimeSpan.FromHours(-3)));

        @operator.CreatedAt.ShouldBe(_clock.GetUtcNow().AddTicks(-(12_345 % TimeSpan.TicksPerMillisecond)));
        @operator.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [TestCase("")]
    [TestCase("   ")]
    public void A_blank_name_or_email_is_rejected(string blank)
    {
        Should.Throw<ArgumentException>(() => Operator.Create(_organizationId, blank, "a@example.com", OperatorRole.Agent, true, _clock.GetUtcNow()));
        Should.Throw<ArgumentException>(() => Operator.Create(_organizationId, "Ada", blank, OperatorRole.Agent, true, _clock.GetUtcNow()));
    }

    [Test]
    public void Updating_with_the_same_values_changes_nothing_and_keeps_updated_at()
    {
        var @operator = NewOperator();
        var updatedAt = @operator.UpdatedAt;
        _clock.Advance(TimeSpan.FromMinutes(1));

        var changed = @operator.Update(" Ada Lovelace ", OperatorRole.Agent, active: true, _clock.GetUtcNow());

        changed.ShouldBeFalse();
        @operator.UpdatedAt.ShouldBe(updatedAt);
    }

    [Test]
    public void Updating_with_nothing_given_changes_nothing()
    {
        var @operator = NewOperator();
        _clock.Advance(TimeSpan.FromMinutes(1));

        @operator.Update(null, null, null, _clock.GetUtcNow()).ShouldBeFalse();

        @operator.UpdatedAt.ShouldBe(@operator.CreatedAt);
    }

    [Test]
    public void Deactivating_changes_active_and_moves_updated_at_to_now()
    {
        var @operator = NewOperator();
        _clock.Advance(TimeSpan.FromMinutes(1).Add(TimeSpan.FromTicks(5)));

        @operator.Update(null, null, active: false, _clock.GetUtcNow()).ShouldBeTrue();

        @operator.Active.ShouldBeFalse();
        @operator.UpdatedAt.ShouldBe(@operator.CreatedAt.AddMinutes(1));
        @operator.Name.ShouldBe("Ada Lovelace");
        @operator.Role.ShouldBe(OperatorRole.Agent);
    }

    [Test]
    public void Updating_name_and_role_applies_both_trimmed()
    {
        var @operator = NewOperator();

        @operator.Update("  Countess ", OperatorRole.Admin, null, _clock.GetUtcNow()).ShouldBeTrue();

        @operator.Name.ShouldBe("Countess");
        @operator.Role.ShouldBe(OperatorRole.Admin);
        @operator.Active.ShouldBeTrue();
    }
}
