using System.Text.Json;
using Convor.Application.Conversations.CreateConversation;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Convor.Domain.Conversations;

namespace Convor.Application.UnitTests.Conversations.CreateConversation;

public sealed class CreateConversationValidatorTests
{
    private readonly CreateConversationCommandValidator _validator = new();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private Task<IReadOnlyDictionary<string, string[]>> ErrorsOf(CreateConversationCommand command) => WireValidation.ErrorsOf(_validator, command);

    [Test]
    public async Task A_channel_alone_is_enough()
    {
        (await ErrorsOf(new CreateConversationCommand(null, ConversationChannel.Widget, null, null))).ShouldBeEmpty();
    }

    [Test]
    public async Task Every_field_given_and_valid_passes()
    {
        var command = new CreateConversationCommand(VisitorId.New(), ConversationChannel.Api, ConversationPriority.High, Json("""{"a":"b"}"""));

        (await ErrorsOf(command)).ShouldBeEmpty();
    }

    [Test]
    public async Task A_missing_channel_is_required()
    {
        var errors = await ErrorsOf(new CreateConversationCommand(null, null, null, null));

        errors.Keys.ShouldBe(["channel"]);
        errors["channel"].ShouldBe(["is required"]);
    }

    [Test]
    public async Task Values_outside_the_enums_name_the_allowed_values()
    {
        var errors = await ErrorsOf(new CreateConversationCommand(null, (ConversationChannel)42, (ConversationPriority)42, null));

        errors["channel"].ShouldBe(["must be one of: widget, email, api"]);
        errors["priority"].ShouldBe(["must be one of: low, normal, high, urgent"]);
    }

    [TestCase("[]")]
    [TestCase("\"text\"")]
    [TestCase("1")]
    [TestCase("null")]
    public async Task Metadata_that_is_not_an_object_is_rejected(string json)
    {
        var errors = await ErrorsOf(new CreateConversationCommand(null, ConversationChannel.Widget, null, Json(json)));

        errors.Keys.ShouldBe(["metadata"]);
        errors["metadata"].ShouldBe(["must be a JSON object"]);
    }

    [Test]
    public async Task Metadata_over_16_KiB_serialized_is_rejected_and_16_KiB_is_accepted()
    {
        var limit = Json("{\"k\":\"" + new string('x', 16 * 1024 - 8) + "\"}");
        var over = Json("{\"k\":\"" + new string('x', 16 * 1024 - 7) + "\"}");

        (await ErrorsOf(new CreateConversationCommand(null, ConversationChannel.Widget, null, limit))).ShouldBeEmpty();
        (await ErrorsOf(new CreateConversationCommand(null, ConversationChannel.Widget, null, over)))["metadata"]
            .ShouldBe(["must be at most 16384 bytes serialized"]);
    }

    [Test]
    public async Task An_empty_visitor_uuid_is_not_a_uuid()
    {
        var errors = await ErrorsOf(new CreateConversationCommand(new VisitorId(Guid.Empty), ConversationChannel.Widget, null, null));

        errors.Keys.ShouldBe(["visitorId"]);
        errors["visitorId"].ShouldBe(["must be a UUID"]);
    }

    [Test]
    public async Task All_failures_are_reported_at_once()
    {
        var errors = await ErrorsOf(new CreateConversationCommand(new VisitorId(Guid.Empty), null, (ConversationPriority)9, Json("[]")));

        errors.Keys.Order(StringComparer.Ordinal).ShouldBe(["channel", "metadata", "priority", "visitorId"]);
    }
}
