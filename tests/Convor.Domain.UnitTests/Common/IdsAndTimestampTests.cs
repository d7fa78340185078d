using System.Text.RegularExpressions;
using Convor.Domain.Common;
using Convor.Domain.Organizations;
using Convor.Domain.Visitors;

namespace Convor.Domain.UnitTests.Common;

public sealed partial class IdsAndTimestampTests
{
    private static readonly DateTimeOffset Noon = new(2026, 6, 23, 12, 0, 0, TimeSpan.Zero);

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex LowerCaseVersion7Uuid();

    [Test]
    public void New_ids_are_distinct_version_7_uuids_written_lower_case_with_hyphens()
    {
        string[] written =
        [
            OrganizationId.New().ToString(), OperatorId.New().ToString(), VisitorId.New().ToString(),
            ConversationId.New().ToString(), ApiKeyId.New().ToString(),
        ];

        written.ShouldAllBe(id => LowerCaseVersion7Uuid().IsMatch(id));
        written.Distinct().Count().ShouldBe(written.Length);
    }

    [Test]
    public void Ids_of_the_same_kind_with_the_same_value_are_equal()
    {
        var value = Guid.NewGuid();

        new ConversationId(value).ShouldBe(new ConversationId(value));
        new ConversationId(value).ShouldNotBe(new ConversationId(Guid.NewGuid()));
    }

    [Test]
    public void An_id_is_written_as_its_uuid()
    {
        var value = Guid.Parse("0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B");

        new OperatorId(value).ToString().ShouldBe("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    }

    [Test]
    public void A_timestamp_is_truncated_to_whole_milliseconds()
    {
        var value = Noon.AddTicks(TimeSpan.TicksPerMillisecond * 123 + 9_999);

        Timestamp.Normalize(value).ShouldBe(Noon.AddMilliseconds(123));
    }

    [Test]
    public void A_timestamp_with_an_offset_becomes_the_same_instant_in_utc()
    {
        var inTokyo = Noon.ToOffset(TimeSpan.FromHours(9));

        var normalized = Timestamp.Normalize(inTokyo);

        normalized.Offset.ShouldBe(TimeSpan.Zero);
        normalized.UtcDateTime.ShouldBe(Noon.UtcDateTime);
        normalized.Hour.ShouldBe(12);
    }

    [Test]
    public void Normalizing_a_normalized_timestamp_changes_nothing()
    {
        var once = Timestamp.Normalize(Noon.AddTicks(5_555_555));

        Timestamp.Normalize(once).ShouldBe(once);
        Timestamp.Normalize(once).Ticks.ShouldBe(once.Ticks);
    }

    [Test]
    public void An_organization_gets_a_trimmed_name_and_a_normalized_creation_time()
    {
        var organization = Organization.Create("  Acme  ", Noon.AddTicks(1).ToOffset(TimeSpan.FromHours(2)));

        organization.Name.ShouldBe("Acme");
        organization.Id.Value.ShouldNotBe(Guid.Empty);
        organization.CreatedAt.ShouldBe(Noon);
        organization.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Test]
    public void An_organization_name_must_not_be_blank_or_too_long()
    {
        Should.Throw<ArgumentException>(() => Organization.Create(" ", Noon));
        Should.Throw<ArgumentException>(() => Organization.Create(new string('a', Organization.NameMaxLength + 1), Noon));
        Organization.Create(new string('a', Organization.NameMaxLength), Noon).Name.Length.ShouldBe(Organization.NameMaxLength);
    }

    [Test]
    public void A_visitor_belongs_to_its_organization_with_a_normalized_creation_time()
    {
        var organizationId = OrganizationId.New();

        var visitor = Visitor.Create(organizationId, Noon.AddTicks(42));

        visitor.OrganizationId.ShouldBe(organizationId);
        visitor.CreatedAt.ShouldBe(Noon);
        Visitor.Create(organizationId, Noon).Id.ShouldNotBe(visitor.Id);
    }
}
