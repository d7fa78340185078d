using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Convor.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// On PostgreSQL a conversation command's save is one batch in the implicit transaction of
    /// that batch (docs/adr/1100): a check that only counts rows after the batch would come after
    /// the commit. So the rule "never assign to an inactive operator" is guarded where the
    /// assignment is written: the statement that sets a conversation's operator reads the operator
    /// row (the latest committed version, as every statement in READ COMMITTED does) and fails
    /// (SQLSTATE CV001) when it is not active. A deactivation committed before that statement makes
    /// the assignment fail; one committed after it is ordered after the assignment, which is a valid
    /// serial order because a deactivation reads no conversation. No row lock is taken: routing
    /// updates the operator row in the same transaction as the assignment, and a share lock held
    /// by two routings of one operator would deadlock on their upgrades. Conversations are created
    /// unassigned, so UPDATE is the only way in.
    /// </summary>
    public partial class AssignedOperatorMustBeActive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION convor_assigned_operator_must_be_active() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM 1 FROM operators WHERE "Id" = NEW."AssignedOperatorId" AND "Active";
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'the operator assigned to conversation % is not active', NEW."Id"
                            USING ERRCODE = 'CV001';
                    END IF;
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER conversations_assigned_operator_must_be_active
                BEFORE UPDATE OF "AssignedOperatorId" ON conversations
                FOR EACH ROW
                WHEN (NEW."AssignedOperatorId" IS NOT NULL AND NEW."AssignedOperatorId" IS DISTINCT FROM OLD."AssignedOperatorId")
                EXECUTE FUNCTION convor_assigned_operator_must_be_active();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS conversations_assigned_operator_must_be_active ON conversations;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS convor_assigned_operator_must_be_active();");
        }
    }
}
