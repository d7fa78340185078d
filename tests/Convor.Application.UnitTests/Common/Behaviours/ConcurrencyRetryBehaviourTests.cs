using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Behaviours;
using Convor.Application.Common.Exceptions;
using Mediator;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Convor.Application.UnitTests.Common.Behaviours;

public sealed class ConcurrencyRetryBehaviourTests
{
    public sealed record ProbeCommand : ICommand<int>;

    private const int MaxAttempts = ConcurrencyRetryBehaviour<ProbeCommand, int>.MaxAttempts;

    private Mock<IUnitOfWork> unitOfWork = null!;
    private List<string> calls = null!;

    [SetUp]
    public void RecordDiscards()
    {
        // One fixture instance serves every test: start each from nothing.
        calls = [];
        unitOfWork = new Mock<IUnitOfWork>(MockBehavior.Strict);
        unitOfWork.Setup(u => u.DiscardChanges()).Callback(() => calls.Add("discard"));
    }

    [Test]
    public async Task A_lost_race_is_retried_after_discarding_the_stale_changes()
    {
        var result = await Behaviour().Handle(new ProbeCommand(), Handler(conflicts: 2), CancellationToken.None);

        result.ShouldBe(3);
        calls.ShouldBe(["attempt", "discard", "attempt", "discard", "attempt"]);
    }

    [Test]
    public async Task After_the_last_attempt_the_conflict_reaches_the_caller()
    {
        var behaviour = Behaviour();

        await Should.ThrowAsync<ConcurrencyConflictException>(async () =>
            await behaviour.Handle(new ProbeCommand(), Handler(conflicts: int.MaxValue), CancellationToken.None));

        calls.Count(c => c == "attempt").ShouldBe(MaxAttempts);
        calls.Count(c => c == "discard").ShouldBe(MaxAttempts - 1);
    }

    [Test]
    public async Task The_last_attempt_may_still_win()
    {
        var result = await Behaviour().Handle(new ProbeCommand(), Handler(conflicts: MaxAttempts - 1), CancellationToken.None);

        result.ShouldBe(MaxAttempts);
    }

    [Test]
    public async Task Other_failures_are_not_retried()
    {
        var behaviour = Behaviour();
        MessageHandlerDelegate<ProbeCommand, int> failing = (_, _) =>
        {
            calls.Add("attempt");
            throw new PreconditionFailedException();
        };

        await Should.ThrowAsync<PreconditionFailedException>(async () => await behaviour.Handle(new ProbeCommand(), failing, CancellationToken.None));

        calls.ShouldBe(["attempt"]);
    }

    private ConcurrencyRetryBehaviour<ProbeCommand, int> Behaviour() =>
        new(unitOfWork.Object, NullLogger<ConcurrencyRetryBehaviour<ProbeCommand, int>>.Instance);

    /// <summary>Loses <paramref name="conflicts"/> races, then answers the number of the attempt that won.</summary>
    private MessageHandlerDelegate<ProbeCommand, int> Handler(int conflicts)
    {
        var attempts = 0;
        return (_, _) =>
        {
            calls.Add("attempt");
            attempts++;
            return attempts <= conflicts ? throw new ConcurrencyConflictException() : ValueTask.FromResult(attempts);
        };
    }
}
