using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.Common;
using Convor.Domain.Operators;
using Convor.Infrastructure.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Concurrency;

/// <summary>
/// An assignment and the operator's deactivation interleaved on purpose: the deactivation
/// commits after the command read the (still active) operator and before the command's save.
/// The operator's version makes that save fail, and the retry sees the operator inactive.
/// </summary>
public sealed class OperatorDeactivationRaceTests(string database) : ApiTestBase(database)
{
    [Test]
    public async Task An_assign_whose_operator_is_deactivated_before_its_save_is_422_operator_inactive_and_assigns_nothing()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var op = Id(await CreateOperatorAsync(Org));
        var rival = new Deactivation(Guid.Parse(op));
        await using var host = HostWith(rival);

        using var response = await ClientOf(host).PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { operatorId = op });

        await ShouldBeErrorAsync(response, HttpStatusCode.UnprocessableEntity, "operator_inactive");
        rival.Deactivated.ShouldBeTrue("the deactivation committed between the read and the save");
        (await GetConversationJsonAsync(Org, conversation))["assignedOperatorId"].ShouldBeNull();
        var log = await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversation));
        log.Select(e => e.Type).ShouldBe(["created"]);
    }

    [Test]
    public async Task A_handoff_whose_chosen_operator_is_deactivated_before_its_save_waits_instead()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var op = Id(await CreateOperatorAsync(Org));
        using (var online = await Client.PatchAsJsonAsync($"/api/operators/{op}", new { availability = "online" })) await ShouldBeOkAsync(online);
        var rival = new Deactivation(Guid.Parse(op));
        await using var host = HostWith(rival);

        using var response = await ClientOf(host).PostAsync($"/api/conversations/{conversation}/handoff", null);

        var body = await ShouldBeOkAsync(response);
        rival.Deactivated.ShouldBeTrue();
        body["assignedOperatorId"].ShouldBeNull();
        var log = await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversation));
        log.Select(e => e.Type).ShouldBe(["created", "handoff_requested"]);
    }

    private WebApplicationFactory<Program> HostWith(Deactivation rival) => RivalFirstHost.Start(Factory, rival.BeforeSaveAsync);

    private HttpClient ClientOf(WebApplicationFactory<Program> host) => RivalFirstHost.ClientOf(host, Org.ApiKey);

    /// <summary>Deactivates the operator, in its own scope and transaction, before the first save it sees.</summary>
    private sealed class Deactivation(Guid operatorId)
    {
        private int _done;

        public bool Deactivated => _done == 1;

        public async Task BeforeSaveAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _done, 1) == 1) return;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
            var id = new OperatorId(operatorId);
            var @operator = await db.Operators.IgnoreQueryFilters().SingleAsync(o => o.Id == id, cancellationToken);
            @operator.Update(null, null, active: false, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
