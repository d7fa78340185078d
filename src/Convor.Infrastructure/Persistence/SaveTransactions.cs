using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Convor.Infrastructure.Persistence;

/// <summary>
/// When a save may go without an explicit transaction (docs/adr/1100). EF checks a concurrency
/// token by the row count it reads back after the batch ran; inside an explicit transaction it
/// can still roll back, but in the implicit transaction of a single PostgreSQL batch the batch
/// has committed by then. So a save goes as one batch only when every race it can lose makes a
/// statement of that batch fail, which rolls the whole batch back before anything is visible.
/// </summary>
internal static class SaveTransactions
{
    /// <summary>
    /// The SQLSTATE of PostgreSQL's guard of assignments (the <c>AssignedOperatorMustBeActive</c>
    /// migration): the operator a conversation is being assigned to is not active when the
    /// assignment is written.
    /// </summary>
    internal const string AssignedOperatorChangedSqlState = "CV001";

    /// <summary>
    /// PostgreSQL checks, in the statement that writes an assignment, that the operator is active,
    /// so a deactivation committed before it fails the assignment (docs/adr/1100). Elsewhere the
    /// save checks the operator's version itself (docs/adr/0800).
    /// </summary>
    internal static bool DatabaseGuardsAssignments(ConvorDbContext db) => db is PostgresConvorDbContext;

    /// <summary>
    /// True when the save is safe as one batch in PostgreSQL's implicit transaction: it changes no
    /// existing row other than conversations, and each changed conversation adds the activity entry
    /// of the first version it moves to. A writer that read the same version and won first wrote
    /// that very (conversation, version) entry, so the loser's insert breaks the unique index and
    /// its whole batch is rolled back (every version has exactly one entry: the activity-log
    /// invariant). Inserts of fresh ids need nothing: a collision is an error too.
    /// <paramref name="recordedEntries"/> are the activity entries the save made from its events.
    /// </summary>
    internal static bool CanSaveAsOneBatch(ConvorDbContext db, IReadOnlyList<ActivityLogEntry> recordedEntries)
    {
        if (!DatabaseGuardsAssignments(db)) return false;
        var any = false;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Unchanged or EntityState.Detached:
                    continue;
                case EntityState.Added:
                    any = true;
                    continue;
                case EntityState.Modified when entry.Entity is Conversation conversation:
                    var firstNewVersion = (long)entry.Property(nameof(Conversation.Version)).OriginalValue! + 1;
                    if (conversation.Version < firstNewVersion || !recordedEntries.Any(e => e.ConversationId == conversation.Id && e.Version == firstNewVersion)) return false;
                    any = true;
                    continue;
                default:
                    return false;
            }
        }
        return any;
    }

    internal static bool IsAssignedOperatorChanged(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: AssignedOperatorChangedSqlState };
}
