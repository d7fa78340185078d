using Convor.Domain.Common;
using Convor.Domain.Operators;
using Convor.Domain.Routing;

namespace Convor.Domain.UnitTests.Routing;

/// <summary>The routing choice: who may take a conversation, and who among them gets it.</summary>
public sealed class OperatorRoutingTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly OrganizationId _org = OrganizationId.New();
    private int _created;

    private Operator NewOperator(
        bool active = true, OperatorAvailability availability = OperatorAvailability.Online, int max = 5,
        DateTimeOffset? lastRoutedAt = null, OrganizationId? organization = null)
    {
        _created++;
        var @operator = Operator.Create(organization ?? _org, $"Op {_created}", $"op{_created}@example.test", OperatorRole.Agent, active,
            Start.AddMinutes(_created), availability, max);
        if (lastRoutedAt is { } at) @operator.RecordRoutedAssignment(at);
        return @operator;
    }

    private Operator? Choose(params RoutingCandidate[] candidates) => OperatorRouting.Choose(_org, candidates);

    /// <summary>Every combination of the four conditions: only active, online, same organization and below the maximum is eligible.</summary>
    [Test]
    public void Exactly_the_active_online_operators_of_the_organization_below_their_maximum_are_eligible(
        [Values] bool active,
        [Values] OperatorAvailability availability,
        [Values] bool sameOrganization,
        [Values(0, 4, 5, 6)] int open)
    {
        var @operator = NewOperator(active, availability, max: 5, organization: sameOrganization ? _org : OrganizationId.New());

        var chosen = Choose(new RoutingCandidate(@operator, open));

        var eligible = active && availability == OperatorAvailability.Online && sameOrganization && open < 5;
        chosen.ShouldBe(eligible ? @operator : null);
    }

    [Test]
    public void Nobody_to_choose_from_is_no_choice() => Choose().ShouldBeNull();

    [Test]
    public void The_fewest_open_conversations_wins_whatever_the_order_or_the_last_routed_time()
    {
        var busy = NewOperator(lastRoutedAt: Start);
        var light = NewOperator(lastRoutedAt: Start.AddHours(1));
        var middle = NewOperator();

        Choose(new(busy, 3), new(light, 1), new(middle, 2)).ShouldBe(light);
        Choose(new(middle, 2), new(light, 1), new(busy, 3)).ShouldBe(light);
    }

    [Test]
    public void The_maximum_is_per_operator_so_a_higher_one_can_win_with_more_open()
    {
        var small = NewOperator(max: 2);
        var large = NewOperator(max: 10);

        Choose(new(small, 2), new(large, 7)).ShouldBe(large);
    }

    [Test]
    public void Ties_go_to_the_one_whose_last_routed_assignment_is_oldest_and_never_routed_counts_as_oldest()
    {
        var recent = NewOperator(lastRoutedAt: Start.AddMinutes(30));
        var older = NewOperator(lastRoutedAt: Start.AddMinutes(10));
        var never = NewOperator();

        Choose(new(recent, 1), new(older, 1)).ShouldBe(older);
        Choose(new(recent, 1), new(older, 1), new(never, 1)).ShouldBe(never);
    }

    [Test]
    public void A_full_tie_goes_to_the_oldest_operator_then_the_lowest_id_so_the_choice_is_stable()
    {
        var first = NewOperator();
        var second = NewOperator();

        Choose(new(second, 0), new(first, 0)).ShouldBe(first);
        Choose(new(first, 0), new(second, 0)).ShouldBe(first);
    }

    [Test]
    public void An_ineligible_operator_never_wins_even_with_the_lightest_load()
    {
        var away = NewOperator(availability: OperatorAvailability.Away);
        var inactive = NewOperator(active: false);
        var foreign = NewOperator(organization: OrganizationId.New());
        var eligible = NewOperator(lastRoutedAt: Start.AddDays(1));

        Choose(new(away, 0), new(inactive, 0), new(foreign, 0), new(eligible, 4)).ShouldBe(eligible);
    }

    [Test]
    public void Choosing_changes_nothing()
    {
        var @operator = NewOperator();
        var version = @operator.Version;

        Choose(new RoutingCandidate(@operator, 0)).ShouldBe(@operator);

        @operator.Version.ShouldBe(version);
        @operator.LastRoutedAt.ShouldBeNull();
    }

    /// <summary>Round robin falls out of the rule: routing to equally loaded operators cycles through all of them.</summary>
    [Test]
    public void Repeated_routing_to_equally_loaded_operators_takes_each_in_turn()
    {
        var operators = new[] { NewOperator(), NewOperator(), NewOperator() };
        var loads = operators.ToDictionary(o => o, _ => 0);
        var picks = new List<Operator>();

        for (var i = 0; i < 6; i++)
        {
            var chosen = OperatorRouting.Choose(_org, loads.Select(l => new RoutingCandidate(l.Key, l.Value)))!;
            chosen.RecordRoutedAssignment(Start.AddHours(1).AddMinutes(i));
            loads[chosen]++;
            picks.Add(chosen);
        }

        picks.ShouldBe([.. operators, .. operators]);
    }
}
