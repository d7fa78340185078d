using Convor.Application.Common;
using Convor.Application.Conversations.AssignOperator;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;

namespace Convor.Application.UnitTests.Conversations.AssignOperator;

public sealed class AssignOperatorValidatorTests
{
    private readonly AssignOperatorCommandValidator _validator = new();

    [Test]
    public async Task An_operator_id_passes()
    {
        (await WireValidation.ErrorsOf(_validator, new AssignOperatorCommand(ConversationId.New(), OperatorId.New()))).ShouldBeEmpty();
    }

    [Test]
    public async Task A_missing_operator_id_is_required()
    {
        var errors = await WireValidation.ErrorsOf(_validator, new AssignOperatorCommand(ConversationId.New(), null));

        errors.Keys.ShouldBe(["operatorId"]);
        errors["operatorId"].ShouldBe(["is required"]);
    }

    [Test]
    public async Task The_empty_uuid_is_not_an_operator_id()
    {
        var errors = await WireValidation.ErrorsOf(_validator, new AssignOperatorCommand(ConversationId.New(), new OperatorId(Guid.Empty)));

        errors.Keys.ShouldBe(["operatorId"]);
        errors["operatorId"].ShouldBe(["must be a UUID"]);
    }

    [Test]
    public void The_request_body_becomes_a_command_for_the_path_id()
    {
        var conversationId = ConversationId.New();
        var operatorId = Guid.NewGuid();

        var expected = ExpectedVersion.Of(4);

        new AssignOperatorRequest { OperatorId = operatorId }.ToCommand(conversationId, expected)
            .ShouldBe(new AssignOperatorCommand(conversationId, new OperatorId(operatorId), expected));
        new AssignOperatorRequest().ToCommand(conversationId, null).ShouldBe(new AssignOperatorCommand(conversationId, null));
    }
}
