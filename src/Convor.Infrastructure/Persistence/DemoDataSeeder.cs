using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Visitors;
using Convor.Infrastructure.Administration;
using Microsoft.EntityFrameworkCore;

namespace Convor.Infrastructure.Persistence;

/// <summary>
/// Development only: an empty database gets a demo organization with operators and a few
/// conversations, so the first <c>dotnet run</c> leads straight to a working curl.
/// </summary>
public sealed class DemoDataSeeder(ConvorDbContext db, AdminService admin, TimeProvider clock)
{
    /// <summary>Returns the demo organization and its key, or null when the database already has data.</summary>
    public async Task<CreatedOrganization?> SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (await db.Organizations.AnyAsync(cancellationToken)) return null;

        var created = await admin.CreateOrganizationAsync("Demo Support", cancellationToken);
        var orgId = new Domain.Common.OrganizationId(created.OrgId);
        var now = clock.GetUtcNow();

        var alice = Operator.Create(orgId, "Alice Admin", "alice@demo.convor.test", OperatorRole.Admin, active: true, now);
        var bob = Operator.Create(orgId, "Bob Agent", "bob@demo.convor.test", OperatorRole.Agent, active: true, now);
        var carol = Operator.Create(orgId, "Carol Former", "carol@demo.convor.test", OperatorRole.Agent, active: false, now);
        db.Operators.AddRange(alice, bob, carol);

        var samples = new (ConversationChannel Channel, ConversationPriority Priority, string Metadata, int MinutesAgo)[]
        {
            (ConversationChannel.Widget, ConversationPriority.Normal, """{"subject":"Where is my order?","locale":"en"}""", 3),
            (ConversationChannel.Email, ConversationPriority.High, """{"subject":"Refund for a double charge","plan":"pro"}""", 12),
            (ConversationChannel.Widget, ConversationPriority.Low, """{"subject":"Changer mon adresse de livraison","locale":"fr"}""", 45),
            (ConversationChannel.Api, ConversationPriority.Urgent, """{"subject":"Checkout is down","source":"status-page"}""", 90),
        };
        var conversations = new List<Conversation>();
        foreach (var sample in samples)
        {
            var visitor = Visitor.Create(orgId, now);
            db.Visitors.Add(visitor);
            var conversation = Conversation.Create(orgId, visitor, sample.Channel, sample.Priority,
                ConversationMetadata.FromJson(sample.Metadata), now);
            conversation.RecordMessageAt(now.AddMinutes(-sample.MinutesAgo), now);
            conversations.Add(conversation);
        }
        conversations[1].AssignOperator(bob, now);
        conversations[3].AssignOperator(alice, now);
        conversations[3].Close(null, now);
        db.Conversations.AddRange(conversations);
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }
}
