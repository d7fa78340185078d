using Convor.Application.Common.Idempotency;
using Convor.Domain.Common;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Convor.Application.UnitTests.Common.Idempotency;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class IdempotencyCoordinatorTests
{
    private static readonly OrganizationId Org = new(Guid.CreateVersion7());
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 23, 8, 58, 0, TimeSpan.Zero));
    private readonly IdempotencyOptions _options = new() { InProgressTimeoutSeconds = 60 };
    private readonly Mock<IIdempotencyStore> _store = new(MockBehavior.Strict);

    private IdempotencyCoordinator Coordinator => new(_store.Object, _clock, _options);

    [Test]
    public async Task A_new_key_is_claimed_for_24_hours_and_the_request_proceeds()
    {
        IdempotencyClaim? claimed = null;
        _store.Setup(s => s.FindAsync(Org, "k", It.IsAny<CancellationToken>())).ReturnsAsync((IdempotencyEntry?)null);
        _store.Setup(s => s.TryClaimAsync(It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>()))
            .Callback<IdempotencyClaim, CancellationToken>((c, _) => claimed = c).ReturnsAsync(true);

        var decision = await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None);

        decision.Outcome.ShouldBe(IdempotencyOutcome.Proceed);
        claimed.ShouldNotBeNull();
        decision.AttemptId.ShouldBe(claimed.AttemptId);
        claimed.ClaimedAt.ShouldBe(_clock.GetUtcNow());
        claimed.ExpiresAt.ShouldBe(_clock.GetUtcNow().AddHours(24));
        (claimed.OrganizationId, claimed.Key, claimed.RequestFingerprint).ShouldBe((Org, "k", "f"));
    }

    [Test]
    public async Task A_completed_key_with_the_same_fingerprint_is_replayed()
    {
        var response = new RecordedResponse(201, new Dictionary<string, string> { ["ETag"] = "\"1\"" }, "{}");
        Holder(Entry("f", IdempotencyStatus.Completed, response: response));

        var decision = await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None);

        decision.Outcome.ShouldBe(IdempotencyOutcome.Replay);
        decision.Response.ShouldBe(response);
    }

    [TestCase(IdempotencyStatus.Completed)]
    [TestCase(IdempotencyStatus.InProgress)]
    public async Task A_key_held_by_another_fingerprint_is_reused(IdempotencyStatus status)
    {
        Holder(Entry("other", status));

        (await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.KeyReused);
    }

    [Test]
    public async Task A_key_in_progress_within_the_timeout_is_in_progress()
    {
        Holder(Entry("f", IdempotencyStatus.InProgress, claimedAgo: _options.InProgressTimeout - TimeSpan.FromSeconds(1)));

        (await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.InProgress);
    }

    [Test]
    public async Task A_key_in_progress_past_the_timeout_is_taken_over_by_the_same_request()
    {
        var stale = Entry("f", IdempotencyStatus.InProgress, claimedAgo: _options.InProgressTimeout);
        Holder(stale);
        _store.Setup(s => s.TryReclaimAsync(stale.AttemptId, It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var decision = await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None);

        decision.Outcome.ShouldBe(IdempotencyOutcome.Proceed);
        decision.AttemptId.ShouldNotBe(stale.AttemptId);
    }

    [Test]
    public async Task An_expired_key_is_taken_over_by_any_request()
    {
        var expired = Entry("other", IdempotencyStatus.Completed, claimedAgo: TimeSpan.FromHours(24),
            response: new RecordedResponse(200, new Dictionary<string, string>(), "{}"));
        Holder(expired);
        _store.Setup(s => s.TryReclaimAsync(expired.AttemptId, It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        (await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.Proceed);
    }

    [Test]
    public async Task A_retry_of_a_known_key_reads_it_and_never_tries_to_insert()
    {
        _store.Setup(s => s.FindAsync(Org, "k", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Entry("f", IdempotencyStatus.Completed));

        (await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.Replay);
        _store.Verify(s => s.TryClaimAsync(It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Losing_the_insert_to_a_concurrent_duplicate_looks_again_and_finds_it_in_progress()
    {
        _store.SetupSequence(s => s.FindAsync(Org, "k", It.IsAny<CancellationToken>()))
            .ReturnsAsync((IdempotencyEntry?)null).ReturnsAsync(Entry("f", IdempotencyStatus.InProgress));
        _store.Setup(s => s.TryClaimAsync(It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        (await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.InProgress);
    }

    [Test]
    public async Task Losing_a_take_over_looks_again_and_finds_the_winner_in_progress()
    {
        var stale = Entry("f", IdempotencyStatus.InProgress, claimedAgo: _options.InProgressTimeout);
        var winner = Entry("f", IdempotencyStatus.InProgress);
        _store.SetupSequence(s => s.FindAsync(Org, "k", It.IsAny<CancellationToken>())).ReturnsAsync(stale).ReturnsAsync(winner);
        _store.Setup(s => s.TryReclaimAsync(stale.AttemptId, It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        (await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.InProgress);
    }

    [Test]
    public async Task A_holder_that_vanished_between_failed_insert_and_second_look_is_claimed_again()
    {
        _store.SetupSequence(s => s.TryClaimAsync(It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true);
        _store.Setup(s => s.FindAsync(Org, "k", It.IsAny<CancellationToken>())).ReturnsAsync((IdempotencyEntry?)null);

        (await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.Proceed);
        _store.Verify(s => s.TryClaimAsync(It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task A_key_that_keeps_changing_hands_gives_up_as_in_progress_after_a_few_rounds()
    {
        _store.Setup(s => s.TryClaimAsync(It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        _store.Setup(s => s.FindAsync(Org, "k", It.IsAny<CancellationToken>())).ReturnsAsync((IdempotencyEntry?)null);

        (await Coordinator.BeginAsync(Org, "k", "f", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.InProgress);
        _store.Verify(s => s.TryClaimAsync(It.IsAny<IdempotencyClaim>(), It.IsAny<CancellationToken>()), Times.Exactly(IdempotencyCoordinator.MaxRounds));
    }

    [Test]
    public async Task Purging_repeats_full_batches_until_a_batch_is_short()
    {
        _options.PurgeBatchSize = 10;
        _store.SetupSequence(s => s.PurgeExpiredAsync(_clock.GetUtcNow(), 10, It.IsAny<CancellationToken>()))
            .ReturnsAsync(10).ReturnsAsync(10).ReturnsAsync(3);

        (await Coordinator.PurgeExpiredAsync(CancellationToken.None)).ShouldBe(23);
        _store.Verify(s => s.PurgeExpiredAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    private void Holder(IdempotencyEntry entry) =>
        _store.Setup(s => s.FindAsync(Org, "k", It.IsAny<CancellationToken>())).ReturnsAsync(entry);

    private IdempotencyEntry Entry(string fingerprint, IdempotencyStatus status, TimeSpan? claimedAgo = null, RecordedResponse? response = null)
    {
        var claimedAt = _clock.GetUtcNow() - (claimedAgo ?? TimeSpan.FromSeconds(1));
        return new IdempotencyEntry(fingerprint, status, Guid.NewGuid(), claimedAt, claimedAt + _options.Retention,
            response ?? (status == IdempotencyStatus.Completed ? new RecordedResponse(200, new Dictionary<string, string>(), "{}") : null));
    }
}
