using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Convor.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Replaces the trigram index of <c>q</c> with an index of the words themselves
    /// (docs/adr/0702). <c>convor_search_words</c> turns "SearchVector" (normalized words joined
    /// by single spaces) into a tsvector whose lexemes are exactly those words, without any
    /// parser, dictionary or stemming, each cut to its first 200 characters (a lexeme cannot pass
    /// 2,047 bytes, and <c>array_to_tsvector</c> would corrupt a longer one silently; a word of
    /// <c>q</c> is at most 200 characters, so the cut never changes which rows a prefix query
    /// finds). A GIN index on it answers <c>'word':* &amp; …</c> with exactly the rows whose words
    /// start so. The function is IMMUTABLE: never change it in place (the index holds its
    /// results); a new definition needs a new function and index.
    /// </summary>
    public partial class SearchWordIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_conversations_search_trgm;");
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION convor_search_words(search_vector text) RETURNS tsvector
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    AS $$ SELECT pg_catalog.array_to_tsvector(ARRAY(
                        SELECT pg_catalog.left(word, 200)
                        FROM pg_catalog.unnest(pg_catalog.string_to_array(search_vector, ' ')) AS word
                        WHERE word OPERATOR(pg_catalog.<>) '')) $$;
                """);
            migrationBuilder.Sql("""CREATE INDEX IF NOT EXISTS ix_conversations_search_words ON conversations USING gin (convor_search_words("SearchVector"));""");
            // The planner's word frequencies come from the statistics of the index expression.
            migrationBuilder.Sql("ANALYZE conversations;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_conversations_search_words;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS convor_search_words(text);");
            migrationBuilder.Sql("""CREATE INDEX IF NOT EXISTS ix_conversations_search_trgm ON conversations USING gin ((' ' || "SearchVector") gin_trgm_ops);""");
        }
    }
}
