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
        var operatorsSince = now.AddHours(-2);

        var alice = Operator.Create(orgId, "Alice Admin", "alice@demo.convor.test", OperatorRole.Admin, active: true, operatorsSince);
        var bob = Operator.Create(orgId, "Bob Agent", "bob@demo.convor.test", OperatorRole.Agent, active: true, operatorsSince);
        var carol = Operator.Create(orgId, "Carol Former", "carol@demo.convor.test", OperatorRole.Agent, active: false, operatorsSince);
        db.Operators.AddRange(alice, bob, carol);

        // Each conversation's last message is MinutesAgo old, so the list (newest last message
        // first) shows them in this order, and `q` finds them by what was written.
        var samples = new (ConversationChannel Channel, ConversationPriority Priority, string Metadata, int MinutesAgo, (MessageAuthor Author, Operator? Operator, string Body)[] Messages)[]
        {
            (ConversationChannel.Widget, ConversationPriority.Normal, """{"subject":"Where is my order?","locale":"en"}""", 3,
            [
                (MessageAuthor.Visitor, null, "Hi, my order A-1042 has not arrived yet. It was due on Monday."),
                (MessageAuthor.Ai, null, "Sorry about the wait! Your parcel left our warehouse yesterday and the carrier expects to deliver it tomorrow."),
                (MessageAuthor.Visitor, null, "Great, thank you."),
            ]),
            (ConversationChannel.Email, ConversationPriority.High, """{"subject":"Refund for a double charge","plan":"pro"}""", 12,
            [
                (MessageAuthor.Visitor, null, "I was charged twice for my Pro plan this month."),
                (MessageAuthor.Ai, null, "I can see two charges on your card. Let me bring in a colleague who can refund one."),
                // Bob writes in an unassigned conversation: he takes it over.
                (MessageAuthor.Operator, bob, "Hi, Bob here. I have refunded the duplicate charge; it shows on your statement within 5 days."),
            ]),
            (ConversationChannel.Widget, ConversationPriority.Low, """{"subject":"Changer mon adresse de livraison","locale":"fr"}""", 45,
            [
                (MessageAuthor.Visitor, null, "Bonjour, je voudrais changer mon adresse avant l'expédition du colis."),
                (MessageAuthor.Ai, null, "Bien sûr ! Quelle est la nouvelle adresse ?"),
            ]),
            (ConversationChannel.Api, ConversationPriority.Urgent, """{"subject":"Checkout is down","source":"status-page"}""", 90,
            [
                (MessageAuthor.System, null, "Status page: checkout error rate above 20% for 5 minutes."),
                (MessageAuthor.Visitor, null, "Checkout fails with a timeout for all our customers since 10:00."),
                (MessageAuthor.Operator, alice, "Thanks for reporting it: a payment provider outage, fixed now. Please try again."),
            ]),
        };
        var conversations = new List<Conversation>();
        foreach (var sample in samples)
        {
            var visitor = Visitor.Create(orgId, now);
            db.Visitors.Add(visitor);
            var firstMessageAt = now.AddMinutes(-sample.MinutesAgo - sample.Messages.Length + 1);
            var conversation = Conversation.Create(orgId, visitor, sample.Channel, sample.Priority,
                ConversationMetadata.FromJson(sample.Metadata), firstMessageAt.AddMinutes(-1));
            for (var i = 0; i < sample.Messages.Length; i++)
            {
                var (author, writer, body) = sample.Messages[i];
                conversation.AddMessage(author, writer, body, firstMessageAt.AddMinutes(i));
            }
            conversations.Add(conversation);
        }
        conversations[3].Close(null, now);
        db.Conversations.AddRange(conversations);
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }
}
