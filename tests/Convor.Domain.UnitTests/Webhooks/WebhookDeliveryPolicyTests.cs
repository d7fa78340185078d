using Convor.Domain.Webhooks;

namespace Convor.Domain.UnitTests.Webhooks;

public sealed class WebhookDeliveryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [TestCase(1, 5)]
    [TestCase(2, 300)]
    [TestCase(9, 86_400)]
    public void Retries_follow_the_contract_schedule_within_the_jitter(int attemptsMade, int seconds)
    {
        var earliest = WebhookDeliveryPolicy.NextAttemptAt(WebhookDeliveryPolicy.ContractRetryDelays, attemptsMade, Now, null, 0.0)!.Value;
        var latest = WebhookDeliveryPolicy.NextAttemptAt(WebhookDeliveryPolicy.ContractRetryDelays, attemptsMade, Now, null, 0.999999)!.Value;

        (earliest - Now).TotalSeconds.ShouldBe(seconds * 0.9, 0.001);
        (latest - Now).TotalSeconds.ShouldBe(seconds * 1.1, seconds * 1e-5);
    }

    [Test]
    public void The_tenth_failed_attempt_is_the_last()
    {
        WebhookDeliveryPolicy.NextAttemptAt(WebhookDeliveryPolicy.ContractRetryDelays, 10, Now, null, 0.5).ShouldBeNull();
    }

    [Test]
    public void A_longer_Retry_After_is_honoured_and_a_shorter_one_does_not_hurry_the_schedule()
    {
        WebhookDeliveryPolicy.NextAttemptAt(WebhookDeliveryPolicy.ContractRetryDelays, 1, Now, TimeSpan.FromMinutes(2), 0.5).ShouldBe(Now.AddMinutes(2));
        WebhookDeliveryPolicy.NextAttemptAt(WebhookDeliveryPolicy.ContractRetryDelays, 2, Now, TimeSpan.FromSeconds(1), 0.5).ShouldBe(Now.AddMinutes(5));
    }

    [Test]
    public void An_endpoint_is_disabled_after_five_days_of_only_failures()
    {
        WebhookDeliveryPolicy.ShouldDisable(null, Now).ShouldBeFalse();
        WebhookDeliveryPolicy.ShouldDisable(Now.AddDays(-5).AddSeconds(1), Now).ShouldBeFalse();
        WebhookDeliveryPolicy.ShouldDisable(Now.AddDays(-5), Now).ShouldBeTrue();
    }
}

public sealed class WebhookEndpointTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly Domain.Common.OrganizationId Org = Domain.Common.OrganizationId.New();

    private static WebhookEndpoint Create(params string[] events) =>
        WebhookEndpoint.Create(Org, new Uri("https://hooks.example.com/x"), events, " CRM ", "protected-1", Now);

    [Test]
    public void Events_are_kept_in_contract_order_without_duplicates_and_the_wildcard_wants_everything()
    {
        Create("conversation.closed", "conversation.created", "conversation.closed").EventList.ShouldBe(["conversation.created", "conversation.closed"]);
        var all = Create("*", "conversation.closed");
        all.EventList.ShouldBe(["*"]);
        all.WantsEvent("message.created").ShouldBeTrue();
        Create("conversation.closed").WantsEvent("conversation.created").ShouldBeFalse();
        Should.Throw<ArgumentException>(() => Create());
        Should.Throw<ArgumentException>(() => Create("conversation.exploded"));
    }

    [Test]
    public void Every_activity_type_of_the_contract_maps_to_its_event_type()
    {
        WebhookEventTypes.ForActivityType("created").ShouldBe("conversation.created");
        WebhookEventTypes.ForActivityType("priority_changed").ShouldBe("conversation.updated");
        WebhookEventTypes.ForActivityType("metadata_changed").ShouldBe("conversation.updated");
        WebhookEventTypes.ForActivityType("message_added").ShouldBe("message.created");
        WebhookEventTypes.ForActivityType("handoff_requested").ShouldBe("conversation.handoff_requested");
        WebhookEventTypes.ForActivityType("something_else").ShouldBeNull();
    }

    [Test]
    public void Rotation_keeps_the_old_secret_signing_for_24_hours()
    {
        var endpoint = Create("*");
        endpoint.RotateSecret("protected-2", Now);

        WebhookEndpoint.SigningSecrets(endpoint.ProtectedSecret, endpoint.PreviousProtectedSecret, endpoint.PreviousSecretExpiresAt, Now.AddHours(23))
            .ShouldBe(["protected-2", "protected-1"]);
        WebhookEndpoint.SigningSecrets(endpoint.ProtectedSecret, endpoint.PreviousProtectedSecret, endpoint.PreviousSecretExpiresAt, Now.AddHours(24))
            .ShouldBe(["protected-2"]);
    }

    [Test]
    public void An_update_that_changes_nothing_keeps_updatedAt()
    {
        var endpoint = Create("*");
        endpoint.Update(new Uri("https://hooks.example.com/x"), ["*"], "CRM", true, Now.AddMinutes(1)).ShouldBeFalse();
        endpoint.UpdatedAt.ShouldBe(Now);
        endpoint.Update(null, null, "", null, Now.AddMinutes(2)).ShouldBeTrue();
        endpoint.Description.ShouldBeNull();
        endpoint.UpdatedAt.ShouldBe(Now.AddMinutes(2));
    }
}
