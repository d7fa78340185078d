using System.Text.Json;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Application.Common.Serialization;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;

namespace Convor.Application.UnitTests.Common.Mapping;

public sealed class WireMapperTests
{
    private readonly HandlerScenario _scenario = new();

    /// <summary>A conversation with every field away from its default: assigned, snoozed, urgent, with metadata and a message.</summary>
    private Conversation BusyConversation(out Operator @operator)
    {
        var conversation = Conversation.Create(_scenario.OrganizationId, Domain.Visitors.Visitor.Create(_scenario.OrganizationId, _scenario.Now),
            ConversationChannel.Email, ConversationPriority.Urgent, ConversationMetadata.FromJson("""{"customer":"Zoë","n":1}"""), _scenario.Now);
        _scenario.Clock.Advance(TimeSpan.FromMinutes(1));
        @operator = _scenario.StoredOperator();
        conversation.AssignOperator(@operator, _scenario.Now);
        conversation.Snooze(_scenario.Now.AddHours(2), _scenario.Now);
        conversation.AddMessage(MessageAuthor.Operator, @operator, "On it.", _scenario.Now);
        return conversation;
    }

    private static string Wire<T>(T value) => JsonSerializer.Serialize(value, WireJson.Options);

    [Test]
    public void Every_field_of_a_conversation_reaches_its_wire_field()
    {
        var conversation = BusyConversation(out var @operator);

        var response = conversation.ToResponse();

        response.Id.ShouldBe(conversation.Id.Value);
        response.OrgId.ShouldBe(_scenario.OrganizationId.Value);
        response.VisitorId.ShouldBe(conversation.VisitorId.Value);
        response.AssignedOperatorId.ShouldBe(@operator.Id.Value);
        response.Status.ShouldBe(ConversationStatus.Snoozed);
        response.Priority.ShouldBe(ConversationPriority.Urgent);
        response.ResolvedBy.ShouldBeNull();
        response.Channel.ShouldBe(ConversationChannel.Email);
        response.AiActive.ShouldBeFalse();
        response.SnoozedUntil.ShouldBe(conversation.SnoozedUntil);
        response.LastMessageAt.ShouldBe(conversation.LastMessageAt);
        response.LastMessageAt.ShouldNotBeNull();
        response.Metadata.GetProperty("customer").GetString().ShouldBe("Zoë");
        response.Metadata.GetProperty("n").GetInt32().ShouldBe(1);
        response.CreatedAt.ShouldBe(conversation.CreatedAt);
        response.UpdatedAt.ShouldBe(conversation.UpdatedAt);
        response.UpdatedAt.ShouldNotBe(response.CreatedAt);
        response.SearchVector.ShouldBe("zoe on it");
    }

    [Test]
    public void A_closed_conversation_carries_its_resolver_and_no_operator_when_none_was_assigned()
    {
        var conversation = Conversation.Create(_scenario.OrganizationId, Domain.Visitors.Visitor.Create(_scenario.OrganizationId, _scenario.Now),
            ConversationChannel.Widget, ConversationPriority.Low, null, _scenario.Now);
        conversation.Close(ResolvedBy.Visitor, _scenario.Now);

        var response = conversation.ToResponse();

        response.Status.ShouldBe(ConversationStatus.Closed);
        response.ResolvedBy.ShouldBe(ResolvedBy.Visitor);
        response.AssignedOperatorId.ShouldBeNull();
        response.SnoozedUntil.ShouldBeNull();
        response.Metadata.GetRawText().ShouldBe("{}");
        response.SearchVector.ShouldBe(string.Empty);
    }

    [Test]
    public void The_result_carries_the_version_for_the_etag()
    {
        var conversation = BusyConversation(out _);

        var result = conversation.ToResult();

        result.Version.ShouldBe(conversation.Version);
        result.Version.ShouldBe(4);
        Wire(result.Conversation).ShouldBe(Wire(conversation.ToResponse()));
    }

    [Test]
    public void The_queryable_projection_gives_the_same_wire_json_as_the_in_memory_mapping()
    {
        var conversation = BusyConversation(out _);

        var projected = new[] { conversation }.AsQueryable().ProjectToResult().ShouldHaveSingleItem();

        projected.Version.ShouldBe(conversation.Version);
        Wire(projected.Conversation).ShouldBe(Wire(conversation.ToResponse()));
    }

    [Test]
    public void Every_field_of_an_operator_reaches_its_wire_field()
    {
        var @operator = Operator.Create(_scenario.OrganizationId, "Ada", "ada@example.com", OperatorRole.Admin, false, _scenario.Now);
        _scenario.Clock.Advance(TimeSpan.FromMinutes(1));
        @operator.Update("Ada L.", null, null, _scenario.Now, OperatorAvailability.Away, 7);
        var withLoad = new OperatorWithLoad { Operator = @operator, OpenConversations = 3 };

        var response = withLoad.ToResponse();

        response.ShouldBe(new OperatorResponse
        {
            Id = @operator.Id.Value,
            OrgId = _scenario.OrganizationId.Value,
            Name = "Ada L.",
            Email = "ada@example.com",
            Role = OperatorRole.Admin,
            Active = false,
            Availability = OperatorAvailability.Away,
            MaxConversations = 7,
            OpenConversations = 3,
            CreatedAt = @operator.CreatedAt,
            UpdatedAt = _scenario.Now,
        });
        Wire(new[] { withLoad }.AsQueryable().ProjectToResponse().ShouldHaveSingleItem()).ShouldBe(Wire(response));
    }

    [Test]
    public void An_operator_is_written_with_the_contract_fields_in_order()
    {
        var @operator = Operator.Create(_scenario.OrganizationId, "Ada", "ada@example.com", OperatorRole.Agent, true, _scenario.Now);

        var names = JsonDocument.Parse(Wire(new OperatorWithLoad { Operator = @operator, OpenConversations = 0 }.ToResponse())).RootElement.EnumerateObject().Select(p => p.Name);

        names.ShouldBe(["id", "orgId", "name", "email", "role", "active", "availability", "maxConversations", "openConversations", "createdAt", "updatedAt"]);
    }
}
