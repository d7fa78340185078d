using Convor.Domain.Common;
using Convor.Domain.Operators;
using Microsoft.Extensions.Time.Testing;

namespace Convor.Domain.UnitTests.Operators;

public sealed class OperatorUpdateTests
{
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void CreateClock() => _clock = new(new DateTimeOffset(2026, 6, 23, 8, 40, 0, TimeSpan.Zero));

    private Operator NewOperator() =>
        Operator.Create(OrganizationId.New(), "Ada", "Ada@Example.test", OperatorRole.Agent, active: true, _clock.GetUtcNow());

    [Test]
    public void Update_applies_only_the_given_fields()
    {
        var op = NewOperator();
        _clock.Advance(TimeSpan.FromMinutes(1));

        op.Update(name: "  Ada Lovelace ", role: null, active: false, _clock.GetUtcNow()).ShouldBeTrue();

        op.Name.ShouldBe("Ada Lovelace");
        op.Role.ShouldBe(OperatorRole.Agent);
        op.Active.ShouldBeFalse();
        op.Email.ShouldBe("ada@example.test");
        op.UpdatedAt.ShouldBe(_clock.GetUtcNow());
    }

    [Test]
    public void Update_with_the_current_values_changes_nothing()
    {
        var op = NewOperator();
        var updatedAt = op.UpdatedAt;
        _clock.Advance(TimeSpan.FromMinutes(1));

        op.Update("Ada", OperatorRole.Agent, true, _clock.GetUtcNow()).ShouldBeFalse();

        op.UpdatedAt.ShouldBe(updatedAt);
    }

    [Test]
    public void A_blank_name_is_refused()
    {
        var op = NewOperator();

        Should.Throw<ArgumentException>(() => op.Update("   ", null, null, _clock.GetUtcNow()));
        op.Name.ShouldBe("Ada");
    }

    [Test]
    public void A_name_over_the_limit_is_refused()
    {
        var op = NewOperator();

        Should.Throw<ArgumentException>(() => op.Update(new string('n', Operator.NameMaxLength + 1), null, null, _clock.GetUtcNow()));
    }
}
