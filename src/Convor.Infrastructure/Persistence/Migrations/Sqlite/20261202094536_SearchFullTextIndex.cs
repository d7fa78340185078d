using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Convor.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// An FTS5 index of "SearchVector" for <c>q</c> (docs/adr/0702), which EF cannot model: a
    /// contentless table (the words are not stored twice) keyed by the conversation's rowid,
    /// kept by triggers. Its tokenizer splits on the space only and keeps every other
    /// character, so its terms are exactly the words of "SearchVector"; it folds case, which the
    /// vector already is, and the list's own predicate rechecks every row it returns. Only
    /// rowids are kept per term (detail=none: the queries are word prefixes, never phrases),
    /// and prefixes of one and two characters have their own entries, so that a one-letter
    /// word of q does not merge the lists of every word it starts.
    /// The rowid of a table with an index (conversations has several) is kept by VACUUM. A
    /// later migration that rebuilds "conversations" (EF's copy-and-rename) drops these triggers
    /// and renumbers the rows: it must run <see cref="Recreate"/> again.
    /// </summary>
    public partial class SearchFullTextIndex : Migration
    {
        /// <summary>Drops and rebuilds the index and its triggers from the current rows.</summary>
        internal const string Recreate = """
            DROP TRIGGER IF EXISTS conversations_fts_insert;
            DROP TRIGGER IF EXISTS conversations_fts_update;
            DROP TRIGGER IF EXISTS conversations_fts_delete;
            DROP TABLE IF EXISTS conversations_fts;
            CREATE VIRTUAL TABLE conversations_fts USING fts5(
                SearchVector, content='', contentless_delete=1, detail=none, prefix='1 2',
                tokenize="unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C* Z*' separators ' '");
            INSERT INTO conversations_fts(rowid, SearchVector) SELECT rowid, SearchVector FROM conversations;
            CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
                INSERT INTO conversations_fts(rowid, SearchVector) VALUES (new.rowid, new.SearchVector);
            END;
            CREATE TRIGGER conversations_fts_update AFTER UPDATE OF SearchVector ON conversations
            WHEN new.SearchVector IS NOT old.SearchVector BEGIN
                DELETE FROM conversations_fts WHERE rowid = old.rowid;
                INSERT INTO conversations_fts(rowid, SearchVector) VALUES (new.rowid, new.SearchVector);
            END;
            CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
                DELETE FROM conversations_fts WHERE rowid = old.rowid;
            END;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Recreate);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS conversations_fts_insert;
                DROP TRIGGER IF EXISTS conversations_fts_update;
                DROP TRIGGER IF EXISTS conversations_fts_delete;
                DROP TABLE IF EXISTS conversations_fts;
                """);
        }
    }
}
