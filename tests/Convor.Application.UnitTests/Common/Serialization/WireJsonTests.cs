using System.Text.Json;
using Convor.Application.Common.Models;
using Convor.Application.Common.Serialization;
using Convor.Application.Conversations.AssignOperator;
using Convor.Application.Conversations.CloseConversation;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;

namespace Convor.Application.UnitTests.Common.Serialization;

public sealed class WireJsonTests
{
    private static readonly Guid ConversationId = Guid.Parse("0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B");

    private static ConversationResponse Response(Action<ConversationResponseBuilder>? change = null)
    {
        var builder = new ConversationResponseBuilder();
        change?.Invoke(builder);
        return builder.Build();
    }

    private static JsonElement Written<T>(T value) => JsonDocument.Parse(JsonSerializer.Serialize(value, WireJson.Options)).RootElement.Clone();

    [Test]
    public void A_conversation_is_written_with_exactly_the_15_contract_fields_in_contract_order()
    {
        var names = Written(Response()).EnumerateObject().Select(p => p.Name);

        names.ShouldBe(
        [
            "id", "orgId", "visitorId", "assignedOperatorId", "status", "priority", "resolvedBy", "channel",
            "aiActive", "snoozedUntil", "lastMessageAt", "metadata", "createdAt", "updatedAt", "searchVector",
        ]);
    }

    [Test]
    public void Null_fields_are_written_as_null_not_left_out()
    {
        var json = Written(Response());

        json.GetProperty("assignedOperatorId").ValueKind.ShouldBe(JsonValueKind.Null);
        json.GetProperty("resolvedBy").ValueKind.ShouldBe(JsonValueKind.Null);
        json.GetProperty("snoozedUntil").ValueKind.ShouldBe(JsonValueKind.Null);
        json.GetProperty("lastMessageAt").ValueKind.ShouldBe(JsonValueKind.Null);
        json.GetProperty("searchVector").GetString().ShouldBe(string.Empty);
    }

    [Test]
    public void Ids_are_lower_case_uuids_with_hyphens()
    {
        Written(Response()).GetProperty("id").GetString().ShouldBe("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    }

    [Test]
    public void Timestamps_are_utc_with_exactly_three_fractional_digits_and_z()
    {
        var createdInParis = new DateTimeOffset(2026, 6, 23, 10, 58, 0, TimeSpan.FromHours(2));
        var json = Written(Response(r =>
        {
            r.CreatedAt = createdInParis;
            r.UpdatedAt = createdInParis.AddTicks(1_234_567);
            r.SnoozedUntil = createdInParis.AddMilliseconds(7);
            r.LastMessageAt = createdInParis.AddMilliseconds(999.9);
        }));

        json.GetProperty("createdAt").GetString().ShouldBe("2026-06-23T08:58:00.000Z");
        json.GetProperty("updatedAt").GetString().ShouldBe("2026-06-23T08:58:00.123Z");
        json.GetProperty("snoozedUntil").GetString().ShouldBe("2026-06-23T08:58:00.007Z");
        json.GetProperty("lastMessageAt").GetString().ShouldBe("2026-06-23T08:58:00.999Z");
    }

    [Test]
    public void Enums_are_written_as_camel_case_strings()
    {
        var json = Written(Response(r =>
        {
            r.Status = ConversationStatus.Snoozed;
            r.Priority = ConversationPriority.Urgent;
            r.ResolvedBy = ResolvedBy.Ai;
            r.Channel = ConversationChannel.Email;
        }));

        json.GetProperty("status").GetString().ShouldBe("snoozed");
        json.GetProperty("priority").GetString().ShouldBe("urgent");
        json.GetProperty("resolvedBy").GetString().ShouldBe("ai");
        json.GetProperty("channel").GetString().ShouldBe("email");
        Written(new { role = OperatorRole.Admin }).GetProperty("role").GetString().ShouldBe("admin");
    }

    [Test]
    public void Metadata_is_written_as_the_object_it_is()
    {
        var json = Written(Response(r => r.Metadata = JsonDocument.Parse("""{"b":[1,"x"],"a":{"c":null}}""").RootElement.Clone()));

        json.GetProperty("metadata").GetRawText().ShouldBe("""{"b":[1,"x"],"a":{"c":null}}""");
    }

    [TestCase("visitor", ResolvedBy.Visitor)]
    [TestCase("system", ResolvedBy.System)]
    public void An_enum_is_read_from_its_camel_case_name(string name, ResolvedBy expected)
    {
        JsonSerializer.Deserialize<CloseConversationRequest>($$"""{"resolvedBy":"{{name}}"}""", WireJson.Options)!
            .ResolvedBy.ShouldBe(expected);
    }

    [TestCase("""{"resolvedBy":1}""")]
    [TestCase("""{"resolvedBy":"1"}""")]
    [TestCase("""{"resolvedBy":"robot"}""")]
    [TestCase("""{"resolvedBy":true}""")]
    public void An_enum_given_as_a_number_or_an_unknown_name_is_rejected(string body)
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<CloseConversationRequest>(body, WireJson.Options));
    }

    [Test]
    public void A_property_given_twice_is_rejected()
    {
        Should.Throw<JsonException>(() =>
            JsonSerializer.Deserialize<CloseConversationRequest>("""{"resolvedBy":"ai","resolvedBy":"system"}""", WireJson.Options));
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<AssignOperatorRequest>(
            $$"""{"operatorId":"{{Guid.NewGuid()}}","operatorId":"{{Guid.NewGuid()}}"}""", WireJson.Options));
    }

    [Test]
    public void A_uuid_that_is_not_one_is_rejected()
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<AssignOperatorRequest>("""{"operatorId":"not-a-uuid"}""", WireJson.Options));
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<AssignOperatorRequest>("""{"operatorId":42}""", WireJson.Options));
    }

    [Test]
    public void A_number_given_as_a_string_is_rejected()
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<int>("\"5\"", WireJson.Options));
    }

    [TestCase("\"2026-06-23T08:58:00.000Z\"", "2026-06-23T08:58:00.000Z")]
    [TestCase("\"2026-06-23T08:58:00Z\"", "2026-06-23T08:58:00.000Z")]
    [TestCase("\"2026-06-23T10:58:00.5+02:00\"", "2026-06-23T08:58:00.500Z")]
    [TestCase("\"2026-06-23T03:58:00.000-05:00\"", "2026-06-23T08:58:00.000Z")]
    public void A_timestamp_with_an_offset_is_read_as_that_instant_in_utc(string json, string expectedWire)
    {
        var value = JsonSerializer.Deserialize<DateTimeOffset>(json, WireJson.Options);

        value.Offset.ShouldBe(TimeSpan.Zero);
        WireJson.FormatTimestamp(value).ShouldBe(expectedWire);
    }

    [TestCase("\"2026-06-23T08:58:00\"")]
    [TestCase("\"2026-06-23\"")]
    [TestCase("\"tomorrow\"")]
    [TestCase("1782205080000")]
    public void A_timestamp_without_an_offset_or_not_a_string_is_rejected(string json)
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>(json, WireJson.Options));
    }

    [Test]
    public void A_null_timestamp_is_read_as_null()
    {
        JsonSerializer.Deserialize<DateTimeOffset?>("null", WireJson.Options).ShouldBeNull();
    }

    /// <summary>A conversation response with plain values, each settable by a test.</summary>
    private sealed class ConversationResponseBuilder
    {
        public ConversationStatus Status { get; set; } = ConversationStatus.Open;
        public ConversationPriority Priority { get; set; } = ConversationPriority.Normal;
        public ResolvedBy? ResolvedBy { get; set; }
        public ConversationChannel Channel { get; set; } = ConversationChannel.Widget;
        public DateTimeOffset? SnoozedUntil { get; set; }
        public DateTimeOffset? LastMessageAt { get; set; }
        public JsonElement Metadata { get; set; } = JsonDocument.Parse("{}").RootElement.Clone();
        public DateTimeOffset CreatedAt { get; set; } = new(2026, 6, 23, 8, 58, 0, TimeSpan.Zero);
        public DateTimeOffset UpdatedAt { get; set; } = new(2026, 6, 23, 8, 58, 0, TimeSpan.Zero);

        public ConversationResponse Build() => new()
        {
            Id = ConversationId,
            OrgId = Guid.NewGuid(),
            VisitorId = Guid.NewGuid(),
            AssignedOperatorId = null,
            Status = Status,
            Priority = Priority,
            ResolvedBy = ResolvedBy,
            Channel = Channel,
            AiActive = true,
            SnoozedUntil = SnoozedUntil,
            LastMessageAt = LastMessageAt,
            Metadata = Metadata,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            SearchVector = string.Empty,
        };
    }
}
