using Convor.Domain.Common;

namespace Convor.Domain.UnitTests.Common;

public sealed class IdOrderingTests
{
    [Test]
    public void Conversation_ids_compare_by_their_uuid()
    {
        var low = new ConversationId(Guid.Parse("00000000-0000-7000-8000-000000000001"));
        var high = new ConversationId(Guid.Parse("00000000-0000-7000-8000-000000000002"));

        (low < high).ShouldBeTrue();
        (high > low).ShouldBeTrue();
        (low <= new ConversationId(low.Value)).ShouldBeTrue();
        (high >= low).ShouldBeTrue();
        (high < low).ShouldBeFalse();
        low.CompareTo(high).ShouldBeNegative();
    }

    [Test]
    public void Operator_ids_compare_by_their_uuid()
    {
        var low = new OperatorId(Guid.Parse("00000000-0000-7000-8000-000000000001"));
        var high = new OperatorId(Guid.Parse("00000000-0000-7000-8000-000000000002"));

        (low < high).ShouldBeTrue();
        (low > high).ShouldBeFalse();
        high.CompareTo(low).ShouldBePositive();
    }
}
